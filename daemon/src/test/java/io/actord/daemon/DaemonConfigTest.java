package io.actord.daemon;

import io.actord.daemon.common.UsageException;
import io.actord.daemon.http.ConnectionLimits;
import io.actord.daemon.run.RunLimits;
import io.actord.daemon.run.StopPolicy;
import io.actord.runtime.userns.UserNamespaceMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DaemonConfigTest {
    @Test
    void shouldUseTheDocumentedDefaults() {
        DaemonConfig c = DaemonConfig.parse();
        assertEquals(Path.of("/var/lib/actord"), c.stateDir());
        assertEquals(Path.of("/run/actord/actord.sock"), c.socket().orElseThrow());
        assertEquals(7070, c.listen().orElseThrow().getPort());
        assertTrue(c.publicUrl().isEmpty(), "the TCP listener's address, once bound");
        assertEquals(Duration.ofSeconds(30), c.abortGrace());
        assertTrue(c.containersDomain().isEmpty(), "container URLs in the path form only");
        assertEquals(Duration.ofSeconds(5), c.containerWait());
        assertEquals(Optional.empty(), c.cgroupParent(), "the daemon's own cgroup");
        assertEquals(StopPolicy.ABORT, c.stopPolicy());
        assertEquals(Duration.ofMinutes(5), c.drainTimeout());
        assertEquals(Math.max(2, Runtime.getRuntime().availableProcessors()), c.ioThreads());
    }

    @Test
    void shouldReadTheSystemdSettings() {
        DaemonConfig c = DaemonConfig.parse("--cgroup-parent", "/system.slice/actord-runs.service",
                "--stop-policy", "drain", "--drain-timeout-secs", "45");
        assertEquals(Optional.of("/system.slice/actord-runs.service"), c.cgroupParent());
        assertEquals(StopPolicy.DRAIN, c.stopPolicy());
        assertEquals(Duration.ofSeconds(45), c.drainTimeout());
        assertTrue(assertThrows(UsageException.class, () -> DaemonConfig.parse("--stop-policy", "leave"))
                .getMessage().contains("abort or drain"));
        assertTrue(assertThrows(UsageException.class, () -> DaemonConfig.parse("--cgroup-parent",
                "system.slice")).getMessage().contains("absolute cgroup path"));
    }

    @Test
    void shouldTakeTheUserNamespaceModeAndRefuseAnyOther() {
        assertEquals(DaemonConfig.DEFAULT_USERNS, DaemonConfig.parse().userNamespace());
        assertEquals(UserNamespaceMode.AUTO, DaemonConfig.parse("--userns", "auto").userNamespace());
        assertEquals(UserNamespaceMode.HOST, DaemonConfig.parse("--userns=host").userNamespace());
        assertTrue(assertThrows(UsageException.class, () -> DaemonConfig.parse("--userns", "keep-id"))
                .getMessage().contains("auto or host"));
    }

    @Test
    void shouldKeepRunsPrivateToTheirIdUnlessTold(@TempDir Path dir) throws Exception {
        assertFalse(DaemonConfig.parse().runsReadableById(), "off by default");
        assertTrue(DaemonConfig.parse("--runs-readable-by-id", "true").runsReadableById());
        Path conf = Files.writeString(dir.resolve("actord.conf"), "runs-readable-by-id=true\n");
        assertTrue(DaemonConfig.parse("--config", conf.toString()).runsReadableById());
        assertTrue(assertThrows(UsageException.class, () -> DaemonConfig.parse("--runs-readable-by-id", "yes"))
                .getMessage().contains("true or false"));
    }

    @Test
    void shouldReadTheConnectionLimitsAndRefuseZero() {
        ConnectionLimits d = DaemonConfig.parse().connections();
        assertEquals(new ConnectionLimits(512, ConnectionLimits.defaults().total(), 30), d);
        assertTrue(d.total() >= 16, "room for clients whatever the descriptor limit: " + d);
        ConnectionLimits c = DaemonConfig.parse("--max-connections-per-address", "8", "--max-connections", "100",
                "--request-head-timeout-secs", "5").connections();
        assertEquals(new ConnectionLimits(8, 100, 5), c);
        for (String key : List.of("--max-connections-per-address", "--max-connections", "--request-head-timeout-secs")) {
            assertTrue(assertThrows(UsageException.class, () -> DaemonConfig.parse(key, "0"))
                    .getMessage().contains("more than 0"), key);
        }
    }

    @Test
    void shouldKeepHalfTheDescriptorsLeftAfterTheReserveForTcpClients() {
        assertEquals(256, ConnectionLimits.totalFor(1024));
        assertEquals(16, ConnectionLimits.totalFor(256), "never fewer than 16");
        assertEquals(523_776, ConnectionLimits.totalFor(1_048_064));
    }

    @Test
    void shouldTakeAContainersDomainInLowercase() {
        DaemonConfig c = DaemonConfig.parse("--containers-domain", "Runs.Example.COM", "--container-wait-ms", "250");
        assertEquals("runs.example.com", c.containersDomain().orElseThrow());
        assertEquals(Duration.ofMillis(250), c.containerWait());
    }

    @Test
    void shouldLetFlagsOverrideTheConfigFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("actord.conf"), "state-dir=/srv/actord\nlisten=127.0.0.1:9000\n"
                + "public-url=https://runs.example.com\n");
        DaemonConfig c = DaemonConfig.parse("--config", file.toString(), "--listen=127.0.0.1:9001", "--socket", "none");
        assertEquals(Path.of("/srv/actord"), c.stateDir());
        assertEquals(9001, c.listen().orElseThrow().getPort());
        assertTrue(c.socket().isEmpty());
        assertEquals("https://runs.example.com", c.publicUrl().orElseThrow());
    }

    @Test
    void shouldRefuseUnknownSettingsAndBadValues() {
        assertThrows(UsageException.class, () -> DaemonConfig.parse("--colour", "red"));
        assertThrows(UsageException.class, () -> DaemonConfig.parse("--listen", "localhost"));
        assertThrows(UsageException.class, () -> DaemonConfig.parse("--listen", "127.0.0.1:99999"));
        assertThrows(UsageException.class, () -> DaemonConfig.parse("--abort-grace-secs", "-1"));
        assertThrows(UsageException.class, () -> DaemonConfig.parse("--state-dir"));
        assertThrows(UsageException.class, () -> DaemonConfig.parse("--containers-domain", "*.runs.test"));
        assertThrows(UsageException.class, () -> DaemonConfig.parse("--containers-domain", "runs.test:80"));
        assertThrows(UsageException.class, () -> DaemonConfig.parse("--public-url", "runs.example.com"));
        assertThrows(UsageException.class, () -> DaemonConfig.parse("--when-host-full", "sometimes"));
        assertThrows(UsageException.class, () -> DaemonConfig.parse("--run-retention-secs", "0"));
        assertThrows(UsageException.class, () -> DaemonConfig.parse("--host-memory-mb", "0"));
        assertThrows(UsageException.class, () -> DaemonConfig.parse("--user-memory-limit-mb", "x"));
        assertThrows(UsageException.class, () -> DaemonConfig.parse("--io-threads", "0"));
        assertThrows(UsageException.class, () -> DaemonConfig.parse("--worker-threads", "0"));
        assertEquals(3, DaemonConfig.parse("--io-threads", "3").ioThreads());
    }

    @Test
    void shouldListenOnAnyAddressNowThatTcpNeedsTokens() {
        assertEquals("0.0.0.0", DaemonConfig.parse("--listen", "0.0.0.0:7070").listen().orElseThrow().getHostString());
    }

    @Test
    void shouldTakeTheLimitsAndRetention() {
        DaemonConfig defaults = DaemonConfig.parse();
        assertEquals(32768, defaults.userMemoryLimitMbytes());
        assertEquals(10240, defaults.userStorageLimitMbytes());
        assertTrue(defaults.hostMemoryMbytes().isEmpty(), "the machine's memory");
        assertEquals(RunLimits.WhenHostFull.QUEUE, defaults.whenHostFull());
        assertEquals(Optional.of(Duration.ofDays(7)), defaults.runRetention());
        DaemonConfig set = DaemonConfig.parse("--user-memory-limit-mb", "4096", "--host-memory-mb", "1024",
                "--when-host-full", "refuse", "--run-retention-secs", "2", "--user-storage-limit-mb", "64");
        assertEquals(4096, set.userMemoryLimitMbytes());
        assertEquals(64, set.userStorageLimitMbytes());
        assertEquals(Optional.of(1024L), set.hostMemoryMbytes());
        assertEquals(RunLimits.WhenHostFull.REFUSE, set.whenHostFull());
        assertEquals(Optional.of(Duration.ofSeconds(2)), set.runRetention());
        assertEquals(Optional.empty(), DaemonConfig.parse("--run-retention-secs", "none").runRetention());
    }
}
