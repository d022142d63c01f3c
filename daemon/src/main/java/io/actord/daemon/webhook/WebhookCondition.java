package io.actord.daemon.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Which runs a webhook fires for, as Apify's {@code condition}: every run of an actor, every run of a task, or
 * one run. Exactly one of the three is set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookCondition(String actorId, String actorTaskId, String actorRunId) {
    public static WebhookCondition ofRun(String runId) {
        return new WebhookCondition(null, null, runId);
    }

    /** How many of the three fields are set. */
    int fieldsSet() {
        return (actorId == null ? 0 : 1) + (actorTaskId == null ? 0 : 1) + (actorRunId == null ? 0 : 1);
    }

    /** The condition index's first key component: {@code actor:<id>}, {@code task:<id>} or {@code run:<id>}. */
    String target() {
        if (actorRunId != null) {
            return run(actorRunId);
        }
        return actorId != null ? actor(actorId) : task(actorTaskId);
    }

    static String run(String runId) {
        return "run:" + runId;
    }

    static String actor(String actorId) {
        return "actor:" + actorId;
    }

    static String task(String taskId) {
        return "task:" + taskId;
    }
}
