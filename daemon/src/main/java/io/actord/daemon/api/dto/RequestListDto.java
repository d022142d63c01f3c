package io.actord.daemon.api.dto;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** A page of a queue's requests; {@code nextCursor} is null on the last page. */
public record RequestListDto(List<ObjectNode> items, int count, int limit, String exclusiveStartId,
                             String nextCursor) {
}
