package io.actord.daemon.task;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The run options a task sets; a null one is not set, and the run takes the actor's default for it (a start
 * request's own option beats both).
 *
 * @param build          a build tag or number
 * @param timeoutSecs    0 = no timeout
 * @param restartOnError a failed run is restarted (as the start option of that name), unless the start request says
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskOptions(String build, Integer timeoutSecs, Integer memoryMbytes, Boolean restartOnError) {
    public static final TaskOptions NONE = new TaskOptions(null, null, null, null);

    /** These options with each option {@code other} sets taking its place. */
    TaskOptions overriddenBy(TaskOptions other) {
        if (other == null) {
            return this;
        }
        return new TaskOptions(other.build != null ? other.build : build,
                other.timeoutSecs != null ? other.timeoutSecs : timeoutSecs,
                other.memoryMbytes != null ? other.memoryMbytes : memoryMbytes,
                other.restartOnError != null ? other.restartOnError : restartOnError);
    }
}
