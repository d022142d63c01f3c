package io.actord.daemon.api.dto;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/**
 * Apify's Build object (id, actId, userId, startedAt, finishedAt, status, meta, stats, options, buildNumber,
 * actorDefinition and its deprecated inputSchema and readme), plus actord's: the entrypoint, tags, what it was
 * made from and its layers (DiffIDs, lowest first).
 *
 * @param inputSchema the actor definition's input schema as a JSON string (Apify's deprecated field), or null
 * @param options     null for an image import
 */
public record BuildDto(String id, String actId, String userId, Instant startedAt, Instant finishedAt, String status,
                       Meta meta, Stats stats, Options options, String buildNumber, JsonNode actorDefinition,
                       String inputSchema, String readme, List<String> tags, List<String> command, String workDir,
                       String source, List<String> layers, String user) {
    /** Where the build request came from. */
    public record Meta(String origin, String clientIp, String userAgent) {
    }

    /** How long it ran and what it cost in compute units (memory GB × hours). */
    public record Stats(long durationMillis, double runTimeSecs, double computeUnits) {
    }

    public record Options(boolean useCache, boolean betaPackages, int memoryMbytes, int diskMbytes) {
    }
}
