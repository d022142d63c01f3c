package io.actord.daemon.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.runtime.LinuxContainerRuntime;
import io.actord.runtime.network.Cidr;
import io.actord.runtime.testing.FakeInternet;
import io.actord.runtime.testing.HostCommands;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A test daemon on the egress network, in-process with the real runtime, that may reach only a test's
 * {@link FakeInternet} (its ranges allowed, everything else denied, DNS to its server only): bridge, nft table
 * and subnet of its own ({@link TestNetworks}) and a cgroup subtree of its own. {@link #close()} stops it and
 * asserts that nothing of the network is left (bridge, host table, allocated addresses).
 */
public final class EgressDaemon implements AutoCloseable {
    private final Path dir;
    private final List<String> flags;
    private final String subtree;
    private final LinuxContainerRuntime runtime;
    private final TestDaemon daemon;

    private EgressDaemon(Path dir, List<String> flags, String subtree, LinuxContainerRuntime runtime,
                         TestDaemon daemon) {
        this.dir = dir;
        this.flags = flags;
        this.subtree = subtree;
        this.runtime = runtime;
        this.daemon = daemon;
    }

    /** Starts one in {@code dir} for {@code internet}; {@code extraAllow}: more CIDRs the runs may reach. */
    public static EgressDaemon start(Path dir, FakeInternet internet, List<Cidr> extraAllow) {
        List<String> flags = TestNetworks.egressFlags(internet.ranges(), internet.dnsAddress(), extraAllow);
        String subtree = ItRuntime.subtree();
        LinuxContainerRuntime runtime = null;
        try {
            runtime = TestNetworks.runtime(dir, subtree, flags);
            return new EgressDaemon(dir, flags, subtree, runtime, TestDaemon.start(dir, runtime,
                    Duration.ofSeconds(2), flags));
        } catch (RuntimeException e) {
            if (runtime != null) {
                runtime.close();
            }
            ItRuntime.releaseSubtree(subtree);
            throw e;
        }
    }

    public TestDaemon daemon() {
        return daemon;
    }

    /** The daemon's flags ({@code --bridge NAME}, {@code --nft-table NAME}, ...). */
    public List<String> flags() {
        return flags;
    }

    /** The value of one of {@link #flags()}. */
    public String flag(String name) {
        return flags.get(flags.indexOf(name) + 1);
    }

    /**
     * Starts a run of {@code actor} with {@code input} (JSON, may be empty) and run options {@code query}
     * ({@code "network=isolated&memory=4096"}, may be empty) and waits up to {@code timeout} for its end.
     */
    public JsonNode run(String actor, String query, String input, Duration timeout) {
        String id = daemon.api().post("/v2/acts/" + actor + "/runs" + (query.isEmpty() ? "" : "?" + query), input)
                .expect(201).data().get("id").asText();
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode run;
        do {
            run = daemon.api().get("/v2/actor-runs/" + id + "?waitForFinish=10").expect(200).data();
        } while (run.get("finishedAt").isNull() && System.nanoTime() < deadline);
        return run;
    }

    /** {@link #run(String, String, String, Duration)} without input, waiting up to 60 s. */
    public JsonNode run(String actor, String query) {
        return run(actor, query, "", Duration.ofSeconds(60));
    }

    public String log(JsonNode run) {
        return daemon.api().get("/v2/logs/" + run.get("id").asText()).text();
    }

    /** The addresses host-local holds for this daemon's containers. */
    public List<String> ipamFiles() {
        return ipamFiles(dir);
    }

    /**
     * The addresses host-local holds for the containers of a daemon whose state is in {@code dir/state}
     * (its files but the last-reserved one and the lock).
     */
    public static List<String> ipamFiles(Path dir) {
        Path ipam = dir.resolve("state/network/ipam/actord");
        if (!Files.isDirectory(ipam)) {
            return List.of();
        }
        try (var files = Files.list(ipam)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("last_reserved_ip") && !n.equals("lock")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("list " + ipam, e);
        }
    }

    /** Stops the daemon and the runtime, releases the subtree and asserts that nothing of the network is left. */
    @Override
    public void close() {
        try {
            daemon.close();
        } finally {
            runtime.close();
            ItRuntime.releaseSubtree(subtree);
        }
        assertNothingLeft();
    }

    /** After the daemon stopped with no run left: no bridge, no host table, no address, no veth of ours. */
    private void assertNothingLeft() {
        String bridge = flag("--bridge");
        String table = flag("--nft-table");
        assertFalse(Files.exists(Path.of("/sys/class/net", bridge)), "bridge " + bridge + " removed");
        String tables = HostCommands.run("nft", "list", "tables");
        assertFalse(tables.contains("table ip " + table + "\n") || tables.endsWith("table ip " + table),
                "host table " + table + " removed: " + tables);
        assertEquals(List.of(), ipamFiles(), "no address left allocated");
    }
}
