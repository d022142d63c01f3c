package io.actord.daemon.webhook;

import java.util.List;

/**
 * The ad-hoc webhooks a run was started with, as daemons before {@link Webhook} records kept them beside the run:
 * still fired for those runs, no longer written.
 */
public record RunWebhooks(int schemaVersion, List<AdHocWebhook> webhooks) {
    public static final int SCHEMA = 1;

    public static RunWebhooks of(List<AdHocWebhook> webhooks) {
        return new RunWebhooks(SCHEMA, List.copyOf(webhooks));
    }
}
