package io.actord.daemon.schedule;

import java.time.Instant;
import java.util.List;

/**
 * A schedule, stored and shown in Apify's shape.
 *
 * @param nextRunAt when it fires next; null while disabled
 * @param lastRunAt when it last fired (also a fire skipped by {@code isExclusive}); null before the first
 */
public record Schedule(String id, String userId, String name, String title, String description, String cronExpression,
                       String timezone, boolean isEnabled, boolean isExclusive, Instant createdAt, Instant modifiedAt,
                       Instant nextRunAt, Instant lastRunAt, List<ScheduleAction> actions,
                       Notifications notifications) {
    /** Apify's e-mail notice of failed fires; kept as given, never sent. */
    public record Notifications(boolean email) {
    }

    Schedule withTimes(Instant next, Instant last) {
        return new Schedule(id, userId, name, title, description, cronExpression, timezone, isEnabled, isExclusive,
                createdAt, modifiedAt, next, last, actions, notifications);
    }
}
