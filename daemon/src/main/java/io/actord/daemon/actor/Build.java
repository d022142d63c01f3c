package io.actord.daemon.actor;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.image.BuildUser;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A stored build: how it was made and, once it has succeeded, the layers the runs of this build start from and how
 * they are started. An image import is stored SUCCEEDED at once; a build from source goes READY, RUNNING and ends
 * SUCCEEDED, FAILED, TIMED-OUT or ABORTED ({@link BuildStatus}), with its layers set only when it succeeds.
 *
 * @param seq             the build's place among the actor's builds, counted from 1 over all versions
 * @param status          a {@link BuildStatus#wireName()}
 * @param finishedAt      null while the build has not ended
 * @param rootfs          schema 1 only: the build's own rootfs directory (newer builds have {@code layers})
 * @param layers          the DiffIDs of the build's layers in the layer store, lowest first
 * @param source          what the build was made from ("oci:/srv/img:1.0", "rootfs /srv/rootfs", "version 0.1")
 * @param command         the entrypoint and its arguments
 * @param env             extra environment variables for every run of the build
 * @param workDir         the working directory inside the container
 * @param user            who the entrypoint runs as
 * @param meta            who asked for it (schema 3; earlier builds read as an API origin)
 * @param options         a build from source's options (schema 3; null for imports)
 * @param actorDefinition {@code .actor/actor.json} with its input schema, of a build from source (or null)
 * @param ownerHost       the host id of the daemon that makes a build from source ({@code RunOwner}; null for imports,
 *                        which are stored done, and for builds stored before it): only that daemon fails it when it
 *                        restarts with the build unfinished
 */
public record Build(int schemaVersion, String id, String actId, String userId, int seq, String buildNumber,
                    String status, Instant startedAt, Instant finishedAt, String rootfs, List<String> layers,
                    String source, List<String> command, Map<String, String> env, String workDir, BuildUser user,
                    Meta meta, Options options, JsonNode actorDefinition, String ownerHost) {
    /** 3: statuses other than SUCCEEDED, meta, options and the actor definition (builds from source). */
    public static final int SCHEMA = 3;
    /** The version a build belongs to when the request names none. */
    public static final String DEFAULT_VERSION = "0.0";

    /** Apify's build meta: where the request came from ({@code origin} one of Apify's META_ORIGINS). */
    public record Meta(String origin, String clientIp, String userAgent) {
        public static final Meta API = new Meta("API", null, null);
    }

    /**
     * Apify's build options, and the timeout the build had.
     *
     * @param timeoutSecs 0: none
     */
    public record Options(boolean useCache, boolean betaPackages, int memoryMbytes, int diskMbytes, int timeoutSecs) {
    }

    public Build {
        command = command == null ? List.of() : List.copyOf(command);
        layers = layers == null ? List.of() : List.copyOf(layers);
        env = env == null ? Map.of() : Map.copyOf(env);
        workDir = workDir == null ? "/" : workDir;
        user = user == null ? BuildUser.ROOT : user;
        meta = meta == null ? Meta.API : meta;
    }

    /** A new build from source, READY: no layers or command until it succeeds. */
    public static Build ready(String id, String actId, String userId, int seq, String buildNumber, Instant startedAt,
                              String source, Meta meta, Options options, String ownerHost) {
        return new Build(SCHEMA, id, actId, userId, seq, buildNumber, BuildStatus.READY.wireName(), startedAt, null,
                null, List.of(), source, List.of(), Map.of(), "/", BuildUser.ROOT, meta, options, null, ownerHost);
    }

    public BuildStatus buildStatus() {
        return BuildStatus.fromWire(status);
    }

    public boolean isTerminal() {
        return buildStatus().isTerminal();
    }

    /** The build in {@code next}, ended at {@code finished} when that is a terminal status (else null). */
    public Build withStatus(BuildStatus next, Instant finished) {
        return new Build(SCHEMA, id, actId, userId, seq, buildNumber, next.wireName(), startedAt,
                next.isTerminal() ? finished : null, rootfs, layers, source, command, env, workDir, user, meta, options,
                actorDefinition, ownerHost);
    }

    public Build withActorDefinition(JsonNode definition) {
        return new Build(SCHEMA, id, actId, userId, seq, buildNumber, status, startedAt, finishedAt, rootfs, layers,
                source, command, env, workDir, user, meta, options, definition, ownerHost);
    }

    /** The build SUCCEEDED at {@code finished}, its runs starting from {@code image}. */
    public Build succeeded(Instant finished, List<String> imageLayers, List<String> imageCommand,
                           Map<String, String> imageEnv, String imageWorkDir, BuildUser imageUser) {
        return new Build(SCHEMA, id, actId, userId, seq, buildNumber, BuildStatus.SUCCEEDED.wireName(), startedAt,
                finished, null, imageLayers, source, imageCommand, imageEnv, imageWorkDir, imageUser, meta, options,
                actorDefinition, ownerHost);
    }

    /** From start to end, or to {@code now} while it has not ended. */
    public Duration duration(Instant now) {
        Duration d = Duration.between(startedAt, finishedAt == null ? now : finishedAt);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** The actor version ("MAJOR.MINOR") of a build number ("MAJOR.MINOR.N"). */
    public static String versionOf(String buildNumber) {
        return buildNumber.substring(0, buildNumber.lastIndexOf('.'));
    }

    /** Apify's build number: the actor version ("MAJOR.MINOR") and the build's count within it. */
    public static String number(String version, int n) {
        return version + "." + n;
    }
}
