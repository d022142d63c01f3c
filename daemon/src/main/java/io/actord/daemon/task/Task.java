package io.actord.daemon.task;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored actor task.
 *
 * @param userId   the task's owner, who alone may see, change and run it
 * @param username the owner's name when the task was made ({@code username~name} is resolved by user id)
 * @param actId    the actor the task runs
 * @param options  the run options the task sets over the actor's defaults
 * @param input    the task's input (a JSON object, or an array), or null for none
 */
public record Task(int schemaVersion, String id, String userId, String username, String actId, String name,
                   String title, String description, Instant createdAt, Instant modifiedAt, TaskOptions options,
                   JsonNode input) {
    public static final int SCHEMA = 1;

    public Task {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        options = options == null ? TaskOptions.NONE : options;
        input = input == null || input.isNull() || input.isMissingNode() ? null : input;
    }

    /** "username~name", the form the API accepts in place of the id. */
    public String fullName() {
        return username + "~" + name;
    }

    Task with(String newName, String newTitle, String newDescription, TaskOptions newOptions, JsonNode newInput,
              Instant now) {
        return new Task(SCHEMA, id, userId, username, actId, newName, newTitle, newDescription, createdAt, now,
                newOptions, newInput);
    }
}
