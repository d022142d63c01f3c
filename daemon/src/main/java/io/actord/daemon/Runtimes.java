package io.actord.daemon;

import io.actord.cgroups.CgroupConfig;
import io.actord.runtime.ContainerRuntime;
import io.actord.runtime.LinuxContainerRuntime;
import io.actord.runtime.RuntimeConfig;
import io.actord.runtime.network.NetworkException;
import io.actord.daemon.network.RunNetworks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens the container runtime for the daemon: {@link LinuxContainerRuntime} with the daemon's cgroup
 * subtree and a library directory under the state directory. When it cannot run here (not root, no
 * usable cgroups) the daemon still serves, with an {@link UnavailableRuntime} that says why.
 */
final class Runtimes {
    private static final Logger LOG = LoggerFactory.getLogger(Runtimes.class);

    private Runtimes() {
    }

    static ContainerRuntime open(DaemonConfig config) {
        if (!isRoot()) {
            LOG.warn("runtime unavailable: actord is not running as root; runs will fail to start");
            return new UnavailableRuntime("actord must run as root to create containers");
        }
        try {
            return LinuxContainerRuntime.open(RuntimeConfig.defaults()
                    .withCgroups(new CgroupConfig(config.cgroupSubtree(), config.cgroupParent()))
                    .withLibDir(config.libDir()).withUserNamespace(config.userNamespace()), RunNetworks.of(config.network(), config.stateDir()));
        } catch (NetworkException e) {
            // A daemon that cannot give runs the network it was told to give them does not start.
            throw e;
        } catch (RuntimeException e) {
            LOG.error("runtime unavailable: it failed to start; runs will fail to start", e);
            return new UnavailableRuntime("the container runtime failed to start: " + e.getMessage());
        }
    }

    static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
