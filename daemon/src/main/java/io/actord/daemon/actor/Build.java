package io.actord.daemon.actor;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A stored build: the rootfs the runs of this build start from and the entrypoint.
 *
 * @param seq         N in the build number "0.0.N", counted per actor from 1
 * @param rootfs      the build's rootfs directory on the host (owned by the daemon, under the state directory)
 * @param command     the entrypoint and its arguments
 * @param env         extra environment variables for every run of the build
 * @param workDir     the working directory inside the container
 */
public record Build(int schemaVersion, String id, String actId, String userId, int seq, String buildNumber,
                    String status, Instant startedAt, Instant finishedAt, String rootfs, List<String> command,
                    Map<String, String> env, String workDir) {
    public static final int SCHEMA = 1;
    /** Apify writes build numbers as version.build; actord has one version, 0.0. */
    public static final String VERSION = "0.0";

    public Build {
        command = List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        workDir = workDir == null ? "/" : workDir;
    }

    public static String number(int seq) {
        return VERSION + "." + seq;
    }
}
