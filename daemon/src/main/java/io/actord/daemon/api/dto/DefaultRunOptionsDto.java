package io.actord.daemon.api.dto;

/** An actor's default run options; in requests, absent fields keep their values. */
public record DefaultRunOptionsDto(String build, Integer timeoutSecs, Integer memoryMbytes) {
}
