package io.actord.daemon.actor;

import io.actord.daemon.image.BuildUser;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A stored build: the layers the runs of this build start from, and how they are started.
 *
 * @param seq     the build's place among the actor's builds, counted from 1 over all versions
 * @param rootfs  schema 1 only: the build's own rootfs directory (newer builds have {@code layers})
 * @param layers  the DiffIDs of the build's layers in the layer store, lowest first
 * @param source  what the build was imported from ("oci:/srv/img:1.0", "rootfs /srv/rootfs")
 * @param command the entrypoint and its arguments
 * @param env     extra environment variables for every run of the build
 * @param workDir the working directory inside the container
 * @param user    who the entrypoint runs as
 */
public record Build(int schemaVersion, String id, String actId, String userId, int seq, String buildNumber,
                    String status, Instant startedAt, Instant finishedAt, String rootfs, List<String> layers,
                    String source, List<String> command, Map<String, String> env, String workDir, BuildUser user) {
    public static final int SCHEMA = 2;
    /** The version a build belongs to when the request names none. */
    public static final String DEFAULT_VERSION = "0.0";

    public Build {
        command = List.copyOf(command);
        layers = layers == null ? List.of() : List.copyOf(layers);
        env = env == null ? Map.of() : Map.copyOf(env);
        workDir = workDir == null ? "/" : workDir;
        user = user == null ? BuildUser.ROOT : user;
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
