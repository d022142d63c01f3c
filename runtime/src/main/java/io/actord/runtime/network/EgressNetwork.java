package io.actord.runtime.network;

import io.actord.runtime.BindMount;
import io.actord.runtime.sys.Fd;
import io.actord.runtime.sys.Linux;
import io.actord.runtime.sys.OpenMode;
import io.actord.runtime.sys.SyscallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Puts containers on the runs' network: CNI ADD once actord-init sits in its new network namespace, the
 * egress policy loaded as an nft ruleset inside that namespace (the workload has no CAP_NET_ADMIN to change
 * it), then the gate opens; CNI DEL when the container is torn down, or — for one that ended while no daemon
 * watched — in clean-up, with its namespace gone. The container's resolv.conf names the DNS forwarder the
 * daemon serves inside each namespace; its hosts file names itself.
 *
 * <p>What a container's attachment is lives in its run directory ({@value #STATE}: written before ADD, so a
 * daemon killed halfway still takes it off again; the ADD result after), so a restarted daemon re-attaches
 * to it or cleans it up. Thread-safe.
 */
public final class EgressNetwork {
    private static final Logger LOG = LoggerFactory.getLogger(EgressNetwork.class);
    public static final String IFNAME = "eth0";
    /** The run directory's record of the container's attachment. */
    static final String STATE = "network.json";
    static final String RESOLV_CONF = "resolv.conf";
    static final String HOSTS = "hosts";

    /**
     * @param conflist   the network (actord's own, or the operator's)
     * @param plugins    where the CNI plugins are
     * @param hostNat    the host's NAT table and forwarding, when actord made the network
     * @param runRuleset the nft ruleset loaded inside every container's namespace (its egress policy)
     * @param nameserver what the containers' resolv.conf names (the daemon serves DNS there)
     */
    public record Config(CniConflist conflist, CniPlugins plugins, Optional<HostNat> hostNat, String runRuleset,
                         String nameserver) {
        public Config {
            Objects.requireNonNull(conflist, "conflist");
            Objects.requireNonNull(plugins, "plugins");
            Objects.requireNonNull(hostNat, "hostNat");
            Objects.requireNonNull(runRuleset, "runRuleset");
            Objects.requireNonNull(nameserver, "nameserver");
        }
    }

    private final Config config;
    private final Linux linux;

    public EgressNetwork(Config config, Linux linux) {
        this.config = config;
        this.linux = linux;
    }

    /**
     * Fails with what to install (or how to run without a network) when the CNI plugins, nft or nsenter are
     * missing; then sets the host up (forwarding, the NAT table).
     */
    public void prepareHost() {
        List<String> missing = new ArrayList<>(config.plugins().missing(config.conflist()).stream()
                .map(p -> config.plugins().path().resolve(p).toString()).toList());
        for (String tool : List.of(Nft.BINARY, "nsenter")) {
            if (!onPath(tool)) {
                missing.add(tool);
            }
        }
        if (!missing.isEmpty()) {
            throw new NetworkException("egress networking needs " + String.join(", ", missing)
                    + ": install the Debian packages containernetworking-plugins and nftables (util-linux has"
                    + " nsenter), or start actord with --run-network isolated");
        }
        config.hostNat().ifPresent(HostNat::ensure);
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    public Optional<String> bridge() {
        return config.conflist().bridge();
    }

    public CniConflist conflist() {
        return config.conflist();
    }

    /**
     * Writes the container's resolv.conf and hosts into its run directory and returns their read-only
     * binds (the targets are created in the writable layer when the image lacks them). The hosts file names
     * the container 127.0.1.1 until {@link #attach} knows its address.
     */
    public List<BindMount> files(Path runDir, String hostname) {
        Path resolv = write(runDir.resolve(RESOLV_CONF), "nameserver " + config.nameserver() + "\noptions ndots:0\n");
        Path hosts = write(runDir.resolve(HOSTS), hosts(hostname, "127.0.1.1"));
        return List.of(new BindMount(resolv, "/etc/resolv.conf", true),
                new BindMount(hosts, "/etc/hosts", true));
    }

    static String hosts(String hostname, String address) {
        return """
                127.0.0.1\tlocalhost
                ::1\tlocalhost ip6-localhost ip6-loopback
                %s\t%s
                """.formatted(address, hostname);
    }

    /**
     * Puts the container whose init is {@code pid} on the network, loads its egress policy and names
     * {@code hostname} in its hosts file ({@link #files}) with its address. On failure whatever was added is
     * taken off again.
     */
    public NetworkAttachment attach(String containerId, long pid, Path runDir, String hostname) {
        config.hostNat().ifPresent(HostNat::ensure);
        Fd netns = openNetns(pid);
        try {
            write(runDir.resolve(STATE), "{}");
            String path = "/proc/" + ProcessHandle.current().pid() + "/fd/" + netns.number();
            CniResult result;
            try {
                result = config.plugins().add(config.conflist(), containerId, path, IFNAME);
            } catch (RuntimeException e) {
                delQuietly(containerId, path, e);
                throw e;
            }
            write(runDir.resolve(STATE), result.json());
            // Rewritten in place: the container's /etc/hosts is a bind mount of this file (the same inode).
            result.address().ifPresent(address -> write(runDir.resolve(HOSTS), hosts(hostname, address)));
            NetworkAttachment attachment = new NetworkAttachment(this, containerId, runDir, result, netns);
            try {
                Nft.load(config.runRuleset(), Optional.of(pid));
            } catch (RuntimeException e) {
                try {
                    attachment.close();
                } catch (RuntimeException undo) {
                    e.addSuppressed(undo);
                }
                throw e;
            }
            LOG.debug("container={} on network {} address={}", containerId, config.conflist().name(),
                    result.address().orElse("?"));
            return attachment;
        } catch (RuntimeException e) {
            netns.close();
            throw e;
        }
    }

    /** The attachment of a container made by an earlier daemon, if it has one. */
    public Optional<NetworkAttachment> reattach(String containerId, long pid, Path runDir) {
        Optional<String> json = read(runDir.resolve(STATE));
        if (json.isEmpty()) {
            return Optional.empty();
        }
        Fd netns = openNetns(pid);
        return Optional.of(new NetworkAttachment(this, containerId, runDir, new CniResult(json.get()), netns));
    }

    /** Takes a container that is gone off the network (its address back to the pool); idempotent. */
    public void cleanUp(String containerId, Path runDir) {
        if (Files.exists(runDir.resolve(STATE))) {
            del(containerId, runDir, "");
        }
    }

    void del(String containerId, Path runDir, String netnsPath) {
        config.plugins().del(config.conflist(), containerId, netnsPath, IFNAME);
        try {
            Files.deleteIfExists(runDir.resolve(STATE));
        } catch (IOException e) {
            throw new UncheckedIOException("delete " + runDir.resolve(STATE), e);
        }
    }

    private void delQuietly(String containerId, String netnsPath, RuntimeException cause) {
        try {
            config.plugins().del(config.conflist(), containerId, netnsPath, IFNAME);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /**
     * Releases the addresses host-local holds for containers not in {@code live} (a daemon that died
     * between ADD and saving the run's state): at start, once the living runs are re-attached.
     */
    public int releaseStale(Set<String> live) {
        Optional<Path> dir = config.conflist().ipamDir();
        if (dir.isEmpty() || !Files.isDirectory(dir.get())) {
            return 0;
        }
        int released = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.get())) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith("last_reserved_ip") || name.equals("lock")) {
                    continue;
                }
                String owner = Files.readString(f, StandardCharsets.UTF_8).lines().findFirst().orElse("").trim();
                if (!owner.isEmpty() && !live.contains(owner)) {
                    config.plugins().del(config.conflist(), owner, "", IFNAME);
                    released++;
                    LOG.info("released address {} of container {}, which no run holds", name, owner);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("list " + dir.get(), e);
        }
        return released;
    }

    /** Deletes the host's NAT table and the bridge: no container is left on the network. */
    public void removeHost() {
        config.hostNat().ifPresent(HostNat::remove);
    }

    private Fd openNetns(long pid) {
        try {
            return linux.open(Path.of("/proc/" + pid + "/ns/net"), OpenMode.READ);
        } catch (SyscallException e) {
            throw new NetworkException("open the network namespace of pid " + pid + ": " + e.getMessage(), e);
        }
    }

    private static Path write(Path file, String text) {
        try {
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("write " + file, e);
        }
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file, e);
        }
    }
}
