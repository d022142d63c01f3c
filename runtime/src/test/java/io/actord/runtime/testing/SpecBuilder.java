package io.actord.runtime.testing;

import io.actord.cgroups.Resources;
import io.actord.cgroups.testing.TestLimits;
import io.actord.runtime.BindMount;
import io.actord.runtime.ContainerSpec;
import io.actord.runtime.DiskLimit;
import io.actord.runtime.ExchangeDirectory;
import io.actord.runtime.NetworkMode;
import io.actord.runtime.Output;
import io.actord.runtime.userns.UserNamespaceMode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A {@link ContainerSpec} with test defaults: 128 MB (so 256 MB of disk), isolated network, piped output. */
public final class SpecBuilder {
    private final String id;
    private final Path rootfs;
    private Path runDir;
    private final List<String> command;
    private final Map<String, String> env = new LinkedHashMap<>(Map.of("PATH", "/bin:/sbin:/usr/bin:/usr/sbin"));
    private final List<BindMount> mounts = new ArrayList<>();
    private final List<Path> layers = new ArrayList<>();
    private Resources resources = TestLimits.forMemory(128);
    private DiskLimit disk = DiskLimit.ofBytes(256L << 20);
    private NetworkMode network = NetworkMode.ISOLATED;
    private Output output = new Output.Pipe();
    private ContainerSpec.User user = ContainerSpec.User.ROOT;
    private String workDir = "/";
    private String hostname;
    private Optional<ExchangeDirectory> exchange = Optional.empty();
    private UserNamespaceMode userNamespace;

    public SpecBuilder(String id, Path rootfs, Path runDir, String... command) {
        this.id = id;
        this.rootfs = rootfs;
        this.runDir = runDir;
        this.command = List.of(command);
        this.hostname = id;
    }

    public SpecBuilder resources(Resources r) {
        this.resources = r;
        return this;
    }

    public SpecBuilder withoutDiskQuota() {
        this.disk = DiskLimit.unlimited();
        return this;
    }

    public SpecBuilder disk(DiskLimit d) {
        this.disk = d;
        return this;
    }

    public SpecBuilder network(NetworkMode n) {
        this.network = n;
        return this;
    }

    public SpecBuilder output(Output o) {
        this.output = o;
        return this;
    }

    public SpecBuilder user(ContainerSpec.User u) {
        this.user = u;
        return this;
    }

    public SpecBuilder workDir(String dir) {
        this.workDir = dir;
        return this;
    }

    public SpecBuilder hostname(String name) {
        this.hostname = name;
        return this;
    }

    public SpecBuilder env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public SpecBuilder exchange(ExchangeDirectory e) {
        this.exchange = Optional.of(e);
        return this;
    }

    public SpecBuilder mount(BindMount m) {
        mounts.add(m);
        return this;
    }

    /** Layers stacked on the rootfs, lowest first. */
    public SpecBuilder layers(List<Path> upper) {
        this.layers.addAll(upper);
        return this;
    }

    public SpecBuilder runDir(Path dir) {
        this.runDir = dir;
        return this;
    }

    public ContainerSpec build() {
        List<Path> all = new ArrayList<>(List.of(rootfs));
        all.addAll(layers);
        return new ContainerSpec(id, all, command, env, workDir, user, hostname, resources, disk, network, mounts,
                output, runDir, exchange, Optional.ofNullable(userNamespace));
    }

    /** The container's own user namespace mode, whatever the runtime's default. */
    public SpecBuilder userNamespace(UserNamespaceMode mode) {
        this.userNamespace = mode;
        return this;
    }
}
