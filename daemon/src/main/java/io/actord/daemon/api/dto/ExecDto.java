package io.actord.daemon.api.dto;

import java.util.List;

/**
 * The body of {@code POST /v2/actor-runs/{runId}/exec} (actord's own, as {@code docker exec}): the command, whether
 * it reads the caller's stdin, and a pseudo-terminal of {@code rows} x {@code columns} (24 x 80 when not given).
 */
public record ExecDto(List<String> command, Boolean stdin, Boolean tty, Integer rows, Integer columns) {
}
