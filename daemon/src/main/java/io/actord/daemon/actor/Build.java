package io.actord.daemon.actor;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A stored build: the layers the runs of this build start from, and how they are started.
 *
 * @param seq     N in the build number "0.0.N", counted per actor from 1
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
    /** Apify writes build numbers as version.build; actord has one version, 0.0. */
    public static final String VERSION = "0.0";

    public Build {
        command = List.copyOf(command);
        layers = layers == null ? List.of() : List.copyOf(layers);
        env = env == null ? Map.of() : Map.copyOf(env);
        workDir = workDir == null ? "/" : workDir;
        user = user == null ? BuildUser.ROOT : user;
    }

    public static String number(int seq) {
        return VERSION + "." + seq;
    }
}
