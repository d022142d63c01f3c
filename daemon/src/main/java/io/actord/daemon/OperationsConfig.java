package io.actord.daemon;

import io.actord.daemon.cluster.ClusterConfig;
import io.actord.daemon.common.UsageException;
import io.actord.daemon.run.RunOwner;
import io.actord.daemon.state.PostgresLocation;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What an operator watches and reaches the daemon with (its flags of the same names).
 *
 * @param metricsToken a token Prometheus scrapers send ({@code Authorization: Bearer …}) to read {@code /metrics} on
 *                     the TCP listener without a user's token; empty = only the admin socket and admin tokens
 * @param logFormat    how the daemon's log lines are written: {@code text} (default) or {@code json}
 * @param execOverTcp  whether {@code exec} into a run is served on the TCP listener to admin tokens as well; by
 *                     default only on the admin socket
 * @param standbyWait  how long a request to an actor's standby URL waits for a run to serve it, and how long a
 *                     new standby run may take to accept connections before it is aborted
 * @param standbyQueue how many requests may wait at once for one actor's standby runs (past it: 503)
 * @param postgres     where the state is kept when not in RocksDB under the state directory ({@code --state
 *                     postgres://…}); the image layers, logs and keys stay in the state directory
 * @param hostId       the host id the operator gave ({@code --host-id}): kept in the state directory at the first
 *                     start, checked against the kept one later ({@link RunOwner}); by default a random one is kept
 * @param cluster      the etcd cluster this daemon is a member of ({@code --cluster etcd://…}), only with a
 *                     PostgreSQL state: the members share it
 */
public record OperationsConfig(Optional<String> metricsToken, LogFormat logFormat, boolean execOverTcp,
                               Duration standbyWait, int standbyQueue, Optional<PostgresLocation> postgres,
                               Optional<String> hostId, Optional<ClusterConfig> cluster) {
    public static final Set<String> KEYS = Set.of("metrics-token", "log-format", "exec-over-tcp",
            "standby-wait-secs", "standby-queue", "state", "cluster", "host-id", "cluster-lease-ttl-secs");
    public static final String USAGE = """
              --metrics-token TOKEN  Prometheus scrapers read /metrics on TCP with this Bearer token (keep it in
                            the config file: flags show in ps); the admin socket and admin tokens always may
              --log-format text|json  the daemon's log lines, default text (json: one object per line)
              --exec-over-tcp true|false  serve exec into runs to admin tokens on TCP too, default false
                            (the admin socket only)
              --standby-wait-secs N  how long a standby request waits for a run (and a new standby run may take
                            to listen before it is aborted: the request gets 504), default 60
              --standby-queue N  requests that may wait at once for one actor's standby runs, default 1000
              --state rocksdb|postgres://USER[:PASSWORD]@HOST[:PORT]/DB  where users, actors, runs and storages
                            are kept: RocksDB in the state directory (default), or a PostgreSQL database
                            (postgres://USER@/DB?host=/run/postgresql for its Unix socket; keep a password in
                            the config file: flags show in ps)
              --cluster etcd://HOST:PORT[,HOST:PORT...]  be a member of the cluster these etcd members keep
                            (needs --state postgres://...): the host's record under a lease, the others watched
              --host-id ID  this host's name among daemons on one database and in a cluster (letters, digits,
                            . _ -): kept in the state directory at the first start (default a random id), and
                            must match it later
              --cluster-lease-ttl-secs N  how soon the others see this host gone when it stops renewing its
                            lease, default 10
            """;

    /** The daemon's log line format. */
    public enum LogFormat { TEXT, JSON }

    public static OperationsConfig from(Map<String, String> s) {
        Optional<String> token = Optional.ofNullable(s.get("metrics-token")).map(t -> {
            if (t.length() < 16 || !t.matches("[\\x21-\\x7e]+")) {
                throw new UsageException("metrics-token must be at least 16 printable characters without spaces");
            }
            return t;
        });
        LogFormat format = switch (s.getOrDefault("log-format", "text")) {
            case "text" -> LogFormat.TEXT;
            case "json" -> LogFormat.JSON;
            default -> throw new UsageException("log-format must be text or json, got '" + s.get("log-format") + "'");
        };
        boolean execOverTcp = switch (s.getOrDefault("exec-over-tcp", "false")) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new UsageException("exec-over-tcp must be true or false, got '" + s.get("exec-over-tcp")
                    + "'");
        };
        String state = s.getOrDefault("state", "rocksdb");
        Optional<PostgresLocation> postgres;
        try {
            postgres = state.equals("rocksdb") ? Optional.empty() : Optional.of(PostgresLocation.parse(state));
        } catch (IllegalArgumentException e) {
            throw new UsageException("state must be rocksdb or a postgres:// URI: " + e.getMessage());
        }
        return new OperationsConfig(token, format, execOverTcp, Duration.ofSeconds(positive(s, "standby-wait-secs", 60)),
                (int) positive(s, "standby-queue", 1000), postgres, hostId(s.get("host-id")),
                cluster(s, postgres.isPresent()));
    }

    private static Optional<String> hostId(String id) {
        try {
            return Optional.ofNullable(id).map(i -> new RunOwner(i, true).hostId());
        } catch (IllegalArgumentException e) {
            throw new UsageException("host-id: " + e.getMessage());
        }
    }

    private static Optional<ClusterConfig> cluster(Map<String, String> s, boolean postgres) {
        if (!s.containsKey("cluster")) {
            if (s.containsKey("cluster-lease-ttl-secs")) {
                throw new UsageException("cluster-lease-ttl-secs is a cluster setting: it needs --cluster etcd://…");
            }
            return Optional.empty();
        }
        if (!postgres) {
            throw new UsageException("cluster needs --state postgres://…: the members of a cluster share their state"
                    + " in one PostgreSQL database, RocksDB is one host's own");
        }
        try {
            return Optional.of(new ClusterConfig(ClusterConfig.parseEndpoints(s.get("cluster")),
                    Duration.ofSeconds(positive(s, "cluster-lease-ttl-secs", ClusterConfig.DEFAULT_LEASE_TTL.toSeconds()))));
        } catch (IllegalArgumentException e) {
            throw new UsageException("cluster: " + e.getMessage());
        }
    }

    private static long positive(Map<String, String> s, String key, long otherwise) {
        String v = s.get(key);
        if (v == null) {
            return otherwise;
        }
        if (v.matches("[0-9]{1,7}") && Long.parseLong(v) > 0 && Long.parseLong(v) <= 1_000_000) {
            return Long.parseLong(v);
        }
        throw new UsageException(key + " must be a whole number from 1 to 1000000, got '" + v + "'");
    }
}
