package io.actord.daemon;

import io.actord.daemon.cluster.ClusterConfig;
import io.actord.daemon.common.UsageException;
import io.actord.daemon.state.PostgresLocation;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OperationsConfigTest {
    @Test
    void shouldDefaultToTextLogsNoScraperTokenAndExecOnTheSocketOnly() {
        OperationsConfig ops = DaemonConfig.parse().operations();
        assertEquals(Optional.empty(), ops.metricsToken());
        assertEquals(OperationsConfig.LogFormat.TEXT, ops.logFormat());
        assertFalse(ops.execOverTcp());
    }

    @Test
    void shouldReadTheFlagsAndRefuseBadValues() {
        OperationsConfig ops = DaemonConfig.parse("--metrics-token", "scrape-0123456789abcdef", "--log-format=json",
                "--exec-over-tcp", "true").operations();
        assertEquals(Optional.of("scrape-0123456789abcdef"), ops.metricsToken());
        assertEquals(OperationsConfig.LogFormat.JSON, ops.logFormat());
        assertTrue(ops.execOverTcp());
        assertTrue(assertThrows(UsageException.class, () -> DaemonConfig.parse("--metrics-token", "short"))
                .getMessage().contains("at least 16"));
        assertTrue(assertThrows(UsageException.class, () -> DaemonConfig.parse("--log-format", "xml"))
                .getMessage().contains("text or json"));
        assertTrue(assertThrows(UsageException.class, () -> DaemonConfig.parse("--exec-over-tcp", "yes"))
                .getMessage().contains("true or false"));
        assertTrue(DaemonConfig.USAGE.contains("--metrics-token TOKEN"));
    }

    @Test
    void shouldReadHowLongAndHowManyStandbyRequestsWait() {
        OperationsConfig defaults = DaemonConfig.parse().operations();
        assertEquals(java.time.Duration.ofSeconds(60), defaults.standbyWait());
        assertEquals(1000, defaults.standbyQueue());
        OperationsConfig ops = DaemonConfig.parse("--standby-wait-secs", "5", "--standby-queue=20").operations();
        assertEquals(java.time.Duration.ofSeconds(5), ops.standbyWait());
        assertEquals(20, ops.standbyQueue());
        for (String bad : new String[] {"0", "-1", "x", "10000000"}) {
            assertTrue(assertThrows(UsageException.class, () -> DaemonConfig.parse("--standby-queue", bad))
                    .getMessage().contains("standby-queue must be a whole number"), bad);
        }
        assertTrue(DaemonConfig.USAGE.contains("--standby-wait-secs N"));
    }

    @Test
    void shouldChooseTheStateBackend() {
        assertEquals(Optional.empty(), DaemonConfig.parse().operations().postgres());
        assertEquals(Optional.empty(), DaemonConfig.parse("--state", "rocksdb").operations().postgres());
        PostgresLocation tcp = DaemonConfig.parse("--state", "postgres://actord:s%40cret@db.example:6432/state")
                .operations().postgres().orElseThrow();
        assertEquals("jdbc:postgresql://db.example:6432/state", tcp.jdbcUrl());
        assertEquals("s@cret", tcp.properties().getProperty("password"));
        assertFalse(tcp.toString().contains("cret"), tcp.toString());
        PostgresLocation socket = DaemonConfig.parse("--state", "postgresql://actord@/state?host=/run/postgresql")
                .operations().postgres().orElseThrow();
        assertTrue(socket.isSocket());
        assertEquals("/run/postgresql/.s.PGSQL.5432", socket.properties().getProperty("socketFactoryArg"));
        assertEquals("/run/postgresql", socket.libpqEnvironment().get("PGHOST"));
        for (String bad : List.of("mysql://x/db", "postgres://host:99999/db", "postgres://host/", "postgres://h/db?x=1")) {
            UsageException e = assertThrows(UsageException.class, () -> DaemonConfig.parse("--state", bad), bad);
            assertTrue(e.getMessage().startsWith("state must be rocksdb or a postgres:// URI"), e.getMessage());
        }
        assertTrue(DaemonConfig.USAGE.contains("--state rocksdb|postgres://"));
    }

    /** A host that takes no runs (capacity 0) is a cluster's gateway (#26); alone it would run nothing. */
    @Test
    void shouldTakeNoRunMemoryOnlyInACluster() {
        String pg = "postgres://actord@db.example/state";
        assertEquals(Optional.of(0L), DaemonConfig.parse("--state", pg, "--cluster", "etcd://e1:2379",
                "--host-memory-mb", "0").hostMemoryMbytes());
        assertTrue(assertThrows(UsageException.class, () -> DaemonConfig.parse("--state", pg, "--host-memory-mb", "0"))
                .getMessage().contains("for a member of a cluster"));
    }

    @Test
    void shouldJoinAClusterOnlyWithAPostgresState() {
        String pg = "postgres://actord@db.example/state";
        assertEquals(Optional.empty(), DaemonConfig.parse("--state", pg).operations().cluster());
        ClusterConfig cluster = DaemonConfig.parse("--state", pg, "--cluster", "etcd://10.0.0.1:2379,[fd00::2]:2379",
                "--cluster-lease-ttl-secs", "15").operations().cluster().orElseThrow();
        assertEquals(List.of(URI.create("http://10.0.0.1:2379"), URI.create("http://[fd00::2]:2379")),
                cluster.endpoints());
        assertEquals(Duration.ofSeconds(15), cluster.leaseTtl());
        assertEquals(Duration.ofMillis(3750), cluster.safetyMargin());
        ClusterConfig defaults = DaemonConfig.parse("--state", pg, "--cluster", "etcd://e1:2379").operations()
                .cluster().orElseThrow();
        assertEquals(ClusterConfig.DEFAULT_LEASE_TTL, defaults.leaseTtl());
        assertEquals(Duration.ofMillis(2500), defaults.safetyMargin());

        assertTrue(assertThrows(UsageException.class, () -> DaemonConfig.parse("--cluster", "etcd://e1:2379"))
                .getMessage().startsWith("cluster needs --state postgres://"));
        assertTrue(assertThrows(UsageException.class, () -> DaemonConfig.parse("--cluster-lease-ttl-secs", "5"))
                .getMessage().startsWith("cluster-lease-ttl-secs is a cluster setting"));
        for (String bad : List.of("http://e1:2379", "etcd://", "etcd://e1", "etcd://e1:2379,", "etcd://e1:2379/x",
                "etcd://u@e1:2379")) {
            UsageException e = assertThrows(UsageException.class, () -> DaemonConfig.parse("--state", pg, "--cluster",
                    bad), bad);
            assertTrue(e.getMessage().startsWith("cluster: "), e.getMessage());
        }
        assertTrue(assertThrows(UsageException.class, () -> DaemonConfig.parse("--state", pg, "--cluster",
                "etcd://e1:2379", "--cluster-lease-ttl-secs", "2")).getMessage().contains("from 3 to 3600 s"));
        assertTrue(DaemonConfig.USAGE.contains("--cluster etcd://HOST:PORT"));
    }

    @Test
    void shouldTakeAHostIdWithOrWithoutACluster() {
        assertEquals(Optional.empty(), DaemonConfig.parse().operations().hostId());
        assertEquals(Optional.of("worker-1.rack_2"), DaemonConfig.parse("--host-id", "worker-1.rack_2").operations()
                .hostId());
        for (String bad : List.of("-x", "a b", "x".repeat(65))) {
            assertTrue(assertThrows(UsageException.class, () -> DaemonConfig.parse("--host-id", bad)).getMessage()
                    .startsWith("host-id: host id '"), bad);
        }
        assertTrue(DaemonConfig.USAGE.contains("--host-id ID"));
    }
}
