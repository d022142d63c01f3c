package io.actord.daemon.api.dto;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of {@code POST /v2/actor-tasks} (and of {@code PUT /v2/actor-tasks/{id}}, where absent fields stay as
 * they are and {@code actId} is ignored). {@code isPublic} is what apify-client's {@code publish()} sends.
 */
public record CreateTaskDto(String actId, String name, String title, String description, TaskDto.Options options,
                            JsonNode input, Boolean isPublic) {
}
