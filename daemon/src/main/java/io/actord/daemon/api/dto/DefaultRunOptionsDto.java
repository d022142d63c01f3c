package io.actord.daemon.api.dto;

/**
 * An actor's default run options; in requests, absent fields keep their values. {@code network} ("egress" or
 * "isolated") is actord's; null = the daemon's default.
 */
public record DefaultRunOptionsDto(String build, Integer timeoutSecs, Integer memoryMbytes, String network,
                                   Boolean restartOnError) {
}
