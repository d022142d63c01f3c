package io.actord.daemon.webhook;

import java.util.List;

/** The ad-hoc webhooks a run was started with, stored beside it so resurrections and restarts keep them. */
public record RunWebhooks(int schemaVersion, List<AdHocWebhook> webhooks) {
    public static final int SCHEMA = 1;

    public static RunWebhooks of(List<AdHocWebhook> webhooks) {
        return new RunWebhooks(SCHEMA, List.copyOf(webhooks));
    }
}
