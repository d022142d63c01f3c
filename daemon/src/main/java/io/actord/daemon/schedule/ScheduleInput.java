package io.actord.daemon.schedule;

import java.util.List;

/** What a create or update request gives; null fields keep the stored value on an update (take defaults on create). */
public record ScheduleInput(String name, String title, String description, String cronExpression, String timezone,
                            Boolean isEnabled, Boolean isExclusive, List<ScheduleAction> actions,
                            Schedule.Notifications notifications) {
}
