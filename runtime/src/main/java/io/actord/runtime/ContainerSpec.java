package io.actord.runtime;

import io.actord.cgroups.Resources;
import io.actord.runtime.userns.UserNamespaceMode;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything needed to create a container.
 *
 * @param id        container id: the cgroup name and hostname default; letters, digits, '_', '.', '-'
 * @param layers    read-only rootfs layers, lowest first (one directory is a plain rootfs)
 * @param command   the entrypoint and its arguments (command.get(0) is resolved inside the container)
 * @param env       environment variables by name
 * @param workDir   the working directory inside the container
 * @param user      uid/gid (and supplementary gids) the workload runs as
 * @param hostname  the UTS hostname
 * @param resources cgroup limits
 * @param disk      the size of the writable layer (a quota volume)
 * @param network   {@link NetworkMode#ISOLATED}, {@link NetworkMode#EGRESS} or {@link NetworkMode#HOST}
 * @param mounts    extra bind mounts, applied in order
 * @param output    where stdout and stderr go
 * @param runDir    the container's scratch directory on the host (created by the runtime, removed on close)
 * @param exchange  a directory on the writable layer the host fills before the start and reads afterwards
 * @param userNamespace {@link UserNamespaceMode#HOST} or {@link UserNamespaceMode#AUTO} for this container;
 *                  empty: the runtime's default ({@link RuntimeConfig#userNamespace()})
 * @param limits    resource limits and oom_score_adj of its processes (the entrypoint and exec'd commands)
 */
public record ContainerSpec(String id, List<Path> layers, List<String> command, Map<String, String> env,
                            String workDir, User user, String hostname, Resources resources, DiskLimit disk,
                            NetworkMode network,
                            List<BindMount> mounts, Output output, Path runDir,
                            Optional<ExchangeDirectory> exchange, Optional<UserNamespaceMode> userNamespace,
                            ProcessLimits limits) {
    public ContainerSpec {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(userNamespace, "userNamespace");
        Objects.requireNonNull(id, "id");
        layers = List.copyOf(layers);
        command = List.copyOf(command);
        env = Map.copyOf(env);
        mounts = List.copyOf(mounts);
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(disk, "disk");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(runDir, "runDir");
        Objects.requireNonNull(exchange, "exchange");
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a container needs at least one rootfs layer");
        }
        if (command.isEmpty()) {
            throw new IllegalArgumentException("a container needs a command");
        }
    }

    /** With every run's {@link ProcessLimits#RUN_DEFAULT}. */
    public ContainerSpec(String id, List<Path> layers, List<String> command, Map<String, String> env,
                         String workDir, User user, String hostname, Resources resources, DiskLimit disk,
                         NetworkMode network, List<BindMount> mounts, Output output, Path runDir,
                         Optional<ExchangeDirectory> exchange, Optional<UserNamespaceMode> userNamespace) {
        this(id, layers, command, env, workDir, user, hostname, resources, disk, network, mounts, output, runDir,
                exchange, userNamespace, ProcessLimits.RUN_DEFAULT);
    }

    /** A spec without an exchange directory, with the runtime's default user namespace mode. */
    public ContainerSpec(String id, List<Path> layers, List<String> command, Map<String, String> env,
                         String workDir, User user, String hostname, Resources resources, DiskLimit disk,
                         NetworkMode network, List<BindMount> mounts, Output output, Path runDir) {
        this(id, layers, command, env, workDir, user, hostname, resources, disk, network, mounts, output, runDir,
                Optional.empty(), Optional.empty());
    }

    /** This spec with its own user namespace mode, whatever the runtime's default. */
    public ContainerSpec withUserNamespace(UserNamespaceMode mode) {
        return new ContainerSpec(id, layers, command, env, workDir, user, hostname, resources, disk, network, mounts,
                output, runDir, exchange, Optional.of(mode), limits);
    }

    /** This spec with other resource limits and oom_score_adj. */
    public ContainerSpec withLimits(ProcessLimits newLimits) {
        return new ContainerSpec(id, layers, command, env, workDir, user, hostname, resources, disk, network, mounts,
                output, runDir, exchange, userNamespace, newLimits);
    }

    /** The uid, gid and supplementary groups of the workload. */
    public record User(int uid, int gid, List<Integer> groups) {
        public static final User ROOT = new User(0, 0, List.of());

        public User {
            groups = List.copyOf(groups);
        }
    }
}
