package io.actord.daemon.api.dto;

/** How the run was started: origin is one of Apify's META_ORIGINS (API, CLI, ...). */
public record RunMetaDto(String origin) {
}
