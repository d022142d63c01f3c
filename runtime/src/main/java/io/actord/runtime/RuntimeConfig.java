package io.actord.runtime;

import io.actord.cgroups.CgroupConfig;
import io.actord.runtime.security.SecurityProfile;
import io.actord.runtime.userns.UserNamespaceMode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link LinuxContainerRuntime} is set up.
 *
 * @param cgroups      where run cgroups go (below the daemon's own cgroup)
 * @param libDir       a root-owned directory for the extracted actord-init and the ext4 template images
 * @param security     what every container's workload loses (capabilities, seccomp, masked paths)
 * @param startTimeout how long actord-init may take from its configuration to "started"
 * @param userNamespace whether containers get a user namespace of their own unless their spec says otherwise;
 *                      by default they do ({@link UserNamespaceMode#AUTO}: its start costs were measured within
 *                      1.2 × of the host's ids, runtime/README.md)
 */
public record RuntimeConfig(CgroupConfig cgroups, Path libDir, SecurityProfile security, Duration startTimeout,
                            UserNamespaceMode userNamespace) {
    public static final Path DEFAULT_LIB_DIR = Path.of("/var/lib/actord/lib");

    public RuntimeConfig {
        Objects.requireNonNull(cgroups, "cgroups");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(startTimeout, "startTimeout");
        Objects.requireNonNull(userNamespace, "userNamespace");
        if (!libDir.isAbsolute()) {
            throw new IllegalArgumentException("libDir must be absolute: " + libDir);
        }
    }

    public static RuntimeConfig defaults() {
        return new RuntimeConfig(CgroupConfig.defaults(), DEFAULT_LIB_DIR, SecurityProfile.defaults(),
                Duration.ofSeconds(30), UserNamespaceMode.AUTO);
    }

    public RuntimeConfig withCgroups(CgroupConfig newCgroups) {
        return new RuntimeConfig(newCgroups, libDir, security, startTimeout, userNamespace);
    }

    public RuntimeConfig withLibDir(Path newLibDir) {
        return new RuntimeConfig(cgroups, newLibDir, security, startTimeout, userNamespace);
    }

    public RuntimeConfig withUserNamespace(UserNamespaceMode mode) {
        return new RuntimeConfig(cgroups, libDir, security, startTimeout, mode);
    }
}
