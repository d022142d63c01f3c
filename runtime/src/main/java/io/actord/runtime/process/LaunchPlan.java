package io.actord.runtime.process;

import io.actord.runtime.BindMount;
import io.actord.runtime.ContainerSpec;
import io.actord.runtime.ExchangeDirectory;
import io.actord.runtime.NetworkMode;
import io.actord.runtime.rootfs.RootfsLayout;
import io.actord.runtime.sys.Fd;
import io.actord.runtime.sys.Namespace;
import io.actord.runtime.sys.SpawnSpec;
import io.actord.runtime.userns.UserNamespace;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the launcher thread builds: namespaces, rootfs, hostname, and the actord-init it spawns.
 *
 * @param id         the container id (names the launcher thread)
 * @param rootfs     the root filesystem to mount
 * @param mounts     extra bind mounts
 * @param hostname   the UTS hostname
 * @param network    whether the container gets its own network namespace
 * @param initBinary the host path of actord-init
 * @param initFds    descriptor number in init → descriptor of this process (see {@link InitProtocol})
 * @param exchange   the exchange directory to make, owned by {@code owner}
 * @param owner      the workload's user (in the container's ids)
 * @param userNamespace the container's user namespace, which its layers are idmapped with and init joins
 *                   (it must be among {@code initFds} as {@link InitProtocol#FD_USERNS})
 */
public record LaunchPlan(String id, RootfsLayout rootfs, List<BindMount> mounts, String hostname, NetworkMode network,
                         Path initBinary, Map<Integer, Fd> initFds, Optional<ExchangeDirectory> exchange,
                         ContainerSpec.User owner, Optional<UserNamespace> userNamespace) {
    public LaunchPlan {
        mounts = List.copyOf(mounts);
        Objects.requireNonNull(exchange, "exchange");
        Objects.requireNonNull(owner, "owner");
        initFds = Map.copyOf(initFds);
        if (userNamespace.isPresent() && initFds.get(InitProtocol.FD_USERNS) != userNamespace.get().fd()) {
            throw new IllegalArgumentException("actord-init must inherit the user namespace as fd "
                    + InitProtocol.FD_USERNS);
        }
        if (!initBinary.isAbsolute()) {
            throw new IllegalArgumentException("actord-init path must be absolute: " + initBinary);
        }
    }

    /** A container in the host's user namespace, run as root, without an exchange directory. */
    public LaunchPlan(String id, RootfsLayout rootfs, List<BindMount> mounts, String hostname, NetworkMode network,
                      Path initBinary, Map<Integer, Fd> initFds) {
        this(id, rootfs, mounts, hostname, network, initBinary, initFds, Optional.empty(), ContainerSpec.User.ROOT,
                Optional.empty());
    }

    /** The cgroup namespace is actord-init's to create, once it sits in its cgroup. */
    public Set<Namespace> namespaces() {
        EnumSet<Namespace> ns = EnumSet.of(Namespace.MOUNT, Namespace.UTS, Namespace.IPC, Namespace.PID);
        if (network.ownNamespace()) {
            ns.add(Namespace.NET);
        }
        return ns;
    }

    /**
     * Spawned after pivot_root, with the old root as working directory: the path is the host path made
     * relative, so it still reaches the host's copy of actord-init (see {@code Linux#pivotRoot}). It must be
     * free of symlinks ({@link InitBinary#install} resolves it), as an absolute link target would resolve
     * against the new root.
     */
    public SpawnSpec initSpawn() {
        return SpawnSpec.of(Path.of("/").relativize(initBinary).toString(), List.of("actord-init"), List.of(), initFds);
    }
}
