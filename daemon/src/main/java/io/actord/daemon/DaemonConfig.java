package io.actord.daemon;

import io.actord.cgroups.CgroupConfig;
import io.actord.daemon.common.UsageException;
import io.actord.daemon.http.ConnectionLimits;
import io.actord.daemon.image.ImportLimits;
import io.actord.daemon.network.NetworkConfig;
import io.actord.daemon.run.RunLimits;
import io.actord.daemon.run.StopPolicy;
import io.actord.daemon.webhook.WebhookRetries;
import io.actord.runtime.userns.UserNamespaceMode;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The daemon's settings, from flags ({@code --key value} or {@code --key=value}) over an optional config
 * file ({@code --config FILE}, {@code key=value} lines with the same keys).
 *
 * @param socket      the Unix socket, or empty ({@code none})
 * @param listen      the TCP address, or empty ({@code none}); any address, as every request there needs a token
 * @param publicUrl   the base of container URLs (and, later, public storage URLs); empty = the TCP listener's
 * @param containersDomain the domain whose subdomains are container URLs ({@code <token>.<domain>}), if any
 * @param containerWait how long a request to a starting run's container URL waits for its web server
 * @param abortGrace  how long a graceful abort or a timeout waits before the kill
 * @param logCapBytes the most a run's log keeps
 * @param ioThreads   the event-loop threads of the API listeners and the container-URL proxy
 * @param cgroupSubtree the cgroup directory for runs below the daemon's own cgroup (tests use their own)
 * @param imageLimits the most one image import may unpack (bytes, files)
 * @param userMemoryLimitMbytes the memory limit of a user who has none of their own
 * @param userStorageLimitMbytes the storage limit (key-value records, dataset items, queue requests) of a user
 *                               who has none of their own
 * @param hostMemoryMbytes the memory all runs may have together; empty = the machine's physical memory
 * @param whenHostFull what happens to a run that does not fit on the host now
 * @param runRetention how long finished runs and their default storages are kept; empty = forever
 * @param cgroupParent  the cgroup the subtree goes into instead of the daemon's own (systemd: actord-runs.service's)
 * @param stopPolicy    what a full stop (SIGUSR1; systemd: {@code systemctl stop}) does to active runs
 * @param drainTimeout  how long the drain policy waits for runs before it aborts them
 * @param network       the runs' network settings
 * @param connections   how many TCP connections the API holds (per client address and in all) and how long a
 *                      request head may take to arrive
 * @param userNamespace whether each run's container gets a user namespace of its own ({@code --userns auto})
 *                      or runs in the host's ({@code host})
 * @param webhookRetries when failed webhook requests are tried again (Apify's schedule unless set)
 * @param runsReadableById whether anyone who holds a run's id may read the run object without a token or grant
 *                         ({@code --runs-readable-by-id true}; the platform's rule, off by default)
 * @param operations    what an operator watches the daemon with (metrics, log format, exec)
 */
public record DaemonConfig(Path stateDir, Optional<Path> socket, Optional<InetSocketAddress> listen,
                           Optional<String> publicUrl, Optional<String> containersDomain, Duration containerWait,
                           Duration abortGrace, long logCapBytes, int maxBodyBytes, int workerThreads,
                           int ioThreads, String cgroupSubtree, ImportLimits imageLimits, int userMemoryLimitMbytes,
                           long userStorageLimitMbytes,
                           Optional<Long> hostMemoryMbytes, RunLimits.WhenHostFull whenHostFull,
                           Optional<Duration> runRetention,
                           Optional<String> cgroupParent, StopPolicy stopPolicy, Duration drainTimeout,
                           NetworkConfig network, ConnectionLimits connections, UserNamespaceMode userNamespace,
                           WebhookRetries webhookRetries, boolean runsReadableById,
                           OperationsConfig operations) {
    public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/actord");
    public static final Path DEFAULT_SOCKET = Path.of("/run/actord/actord.sock");
    public static final String DEFAULT_LISTEN = "127.0.0.1:7070";
    /** Apify's MAX_PAYLOAD_SIZE_BYTES is 9 MiB; a little more leaves room for envelopes. */
    public static final int DEFAULT_MAX_BODY = 10 * 1024 * 1024;
    public static final long DEFAULT_LOG_CAP = 16L * 1024 * 1024;
    /** Apify's largest single run; a user's runs together get this much unless the admin says otherwise. */
    public static final int DEFAULT_USER_MEMORY_LIMIT_MB = 32768;
    /**
     * 10 GB: Apify bills storage rather than capping it, so there is no platform number to copy; this holds
     * the result data of a very large crawl (a million 10 kB items) yet stops one user filling the host's
     * disk, which the daemon shares with image layers and run disks. The admin raises it per user.
     */
    public static final long DEFAULT_USER_STORAGE_LIMIT_MB = 10240;
    public static final Duration DEFAULT_RUN_RETENTION = Duration.ofDays(7);
    public static final UserNamespaceMode DEFAULT_USERNS = UserNamespaceMode.AUTO;

    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
            + "(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Set<String> KEYS = Set.of("state-dir", "socket", "listen", "public-url", "containers-domain",
            "container-wait-ms", "abort-grace-secs", "log-cap-bytes", "max-body-bytes", "worker-threads",
            "io-threads", "cgroup-subtree", "max-image-bytes", "max-image-files", "user-memory-limit-mb", "user-storage-limit-mb",
            "host-memory-mb", "when-host-full", "run-retention-secs", "cgroup-parent", "stop-policy",
            "drain-timeout-secs", "max-connections-per-address", "max-connections", "request-head-timeout-secs",
            "userns", "webhook-retries", "webhook-first-retry-ms", "runs-readable-by-id");
    private static final Set<String> ALL_KEYS = Stream.of(KEYS, NetworkConfig.KEYS, OperationsConfig.KEYS)
            .flatMap(Set::stream)
            .collect(Collectors.toUnmodifiableSet());

    /** The flags, for {@code --help} and a usage error. */
    public static final String USAGE = DaemonUsage.TEXT;


    public static DaemonConfig parse(String... args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new UsageException("unexpected argument '" + a + "'");
            }
            String key = a.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException("flag --" + key + " needs a value");
            }
            flags.put(key, value);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        Optional.ofNullable(flags.remove("config")).ifPresent(file -> settings.putAll(readFile(Path.of(file))));
        settings.putAll(flags);
        settings.keySet().forEach(k -> {
            if (!ALL_KEYS.contains(k)) {
                throw new UsageException("unknown setting '" + k + "'");
            }
        });
        return from(settings);
    }

    private static DaemonConfig from(Map<String, String> s) {
        Path stateDir = Path.of(s.getOrDefault("state-dir", DEFAULT_STATE_DIR.toString())).toAbsolutePath();
        String socket = s.getOrDefault("socket", DEFAULT_SOCKET.toString());
        String listen = s.getOrDefault("listen", DEFAULT_LISTEN);
        Optional<InetSocketAddress> tcp = listen.equals("none") ? Optional.empty() : Optional.of(address(listen));
        tcp.ifPresent(a -> {
            if (a.isUnresolved()) {
                throw new UsageException("--listen " + listen + ": the host name does not resolve");
            }
        });
        Optional<String> publicUrl = Optional.ofNullable(s.get("public-url")).map(DaemonConfig::publicUrl);
        Optional<String> domain = Optional.ofNullable(s.get("containers-domain")).map(DaemonConfig::domain);
        return new DaemonConfig(stateDir, socket.equals("none") ? Optional.empty() : Optional.of(Path.of(socket)),
                tcp, publicUrl, domain, Duration.ofMillis(number(s, "container-wait-ms", 5000)),
                Duration.ofSeconds(number(s, "abort-grace-secs", 30)),
                number(s, "log-cap-bytes", DEFAULT_LOG_CAP), (int) number(s, "max-body-bytes", DEFAULT_MAX_BODY),
                (int) number(s, "worker-threads", Math.max(8, 4 * Runtime.getRuntime().availableProcessors())),
                (int) number(s, "io-threads", Math.max(2, Runtime.getRuntime().availableProcessors())),
                s.getOrDefault("cgroup-subtree", "actord"), imageLimits(s),
                (int) Math.min(Integer.MAX_VALUE, positive(s, "user-memory-limit-mb", DEFAULT_USER_MEMORY_LIMIT_MB)),
                positive(s, "user-storage-limit-mb", DEFAULT_USER_STORAGE_LIMIT_MB),
                hostMemory(s),
                whenHostFull(s.getOrDefault("when-host-full", "queue")),
                "none".equals(s.get("run-retention-secs")) ? Optional.empty() : Optional.of(Duration.ofSeconds(
                        positive(s, "run-retention-secs", DEFAULT_RUN_RETENTION.toSeconds()))),
                cgroupParent(s.get("cgroup-parent")), stopPolicy(s.getOrDefault("stop-policy", "abort")),
                Duration.ofSeconds(number(s, "drain-timeout-secs", 300)), NetworkConfig.from(s), connections(s),
                userNamespace(s.getOrDefault("userns", DEFAULT_USERNS.wireName())), webhookRetries(s),
                bool(s, "runs-readable-by-id"), OperationsConfig.from(s));
    }

    /** More than 0, or 0 for a cluster member that only answers the API and takes no runs (#26's gateway). */
    private static Optional<Long> hostMemory(Map<String, String> s) {
        if (!s.containsKey("host-memory-mb")) {
            return Optional.empty();
        }
        long mbytes = number(s, "host-memory-mb", 0);
        if (mbytes == 0 && !s.containsKey("cluster")) {
            throw new UsageException("host-memory-mb must be more than 0, got '0' (0, a host that takes no runs, is"
                    + " for a member of a cluster: --cluster)");
        }
        return Optional.of(mbytes);
    }

    private static WebhookRetries webhookRetries(Map<String, String> s) {
        return new WebhookRetries((int) Math.min(1000, number(s, "webhook-retries", WebhookRetries.APIFY.retries())),
                Duration.ofMillis(positive(s, "webhook-first-retry-ms", WebhookRetries.APIFY.firstRetry().toMillis())));
    }

    private static boolean bool(Map<String, String> s, String key) {
        return switch (s.getOrDefault(key, "false")) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new UsageException(key + " must be true or false, got '" + s.get(key) + "'");
        };
    }

    private static ConnectionLimits connections(Map<String, String> s) {
        ConnectionLimits d = ConnectionLimits.defaults();
        return new ConnectionLimits(
                (int) Math.min(Integer.MAX_VALUE, positive(s, "max-connections-per-address", d.perAddress())),
                (int) Math.min(Integer.MAX_VALUE, positive(s, "max-connections", d.total())),
                positive(s, "request-head-timeout-secs", d.headTimeoutSeconds()));
    }

    private static Optional<String> cgroupParent(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return new CgroupConfig(CgroupConfig.DEFAULT_SUBTREE, Optional.of(value)).parent();
        } catch (IllegalArgumentException e) {
            throw new UsageException("cgroup-parent: " + e.getMessage());
        }
    }

    private static UserNamespaceMode userNamespace(String word) {
        try {
            return UserNamespaceMode.parse(word);
        } catch (IllegalArgumentException e) {
            throw new UsageException("userns must be auto or host, got '" + word + "'");
        }
    }

    private static StopPolicy stopPolicy(String word) {
        return StopPolicy.fromWord(word).orElseThrow(() -> new UsageException("stop-policy must be abort or drain, got '"
                + word + "'"));
    }

    private static RunLimits.WhenHostFull whenHostFull(String v) {
        return switch (v) {
            case "queue" -> RunLimits.WhenHostFull.QUEUE;
            case "refuse" -> RunLimits.WhenHostFull.REFUSE;
            default -> throw new UsageException("when-host-full must be queue or refuse, got '" + v + "'");
        };
    }

    /** A number above 0 (a limit or a period of 0 would stop everything, so it is refused, not special). */
    private static long positive(Map<String, String> s, String key, long fallback) {
        long n = number(s, key, fallback);
        if (n == 0) {
            throw new UsageException(key + " must be more than 0, got '" + s.get(key) + "'");
        }
        return n;
    }

    private static ImportLimits imageLimits(Map<String, String> s) {
        long bytes = number(s, "max-image-bytes", ImportLimits.DEFAULT.maxBytes());
        long files = number(s, "max-image-files", ImportLimits.DEFAULT.maxFiles());
        if (bytes == 0 || files == 0) {
            throw new UsageException("max-image-bytes and max-image-files must be positive");
        }
        return new ImportLimits(bytes, files);
    }

    /** An absolute http(s) URL. */
    private static String publicUrl(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme())
                    || "https".equalsIgnoreCase(uri.getScheme()))) {
                throw new URISyntaxException(url, "not an absolute http(s) URL");
            }
            return url;
        } catch (URISyntaxException e) {
            throw new UsageException("public-url must be an http(s) URL such as http://host:7070, got '" + url + "'");
        }
    }

    /** A DNS name, lowercased (host names are case-insensitive). */
    private static String domain(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (!DOMAIN.matcher(lower).matches()) {
            throw new UsageException("containers-domain must be a DNS name such as runs.example.com or localhost, got '"
                    + name + "'");
        }
        return lower;
    }

    /** "host:port" (a port of 0 picks a free one). */
    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new UsageException("listen address must be HOST:PORT, got '" + hostPort + "'");
        }
        String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
        try {
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(host, port);
        } catch (NumberFormatException e) {
            throw new UsageException("listen port must be 0-65535, got '" + hostPort + "'");
        }
    }

    private static long number(Map<String, String> s, String key, long fallback) {
        String v = s.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0 || (n == 0 && (key.equals("worker-threads") || key.equals("io-threads")))) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(key + " must be a non-negative number, got '" + v + "'");
        }
    }

    private static Map<String, String> readFile(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new UsageException("read config file " + file + ": " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k.trim(), p.getProperty(k).trim()));
        return out;
    }

    public Path rocksDbDir() {
        return stateDir.resolve("rocksdb");
    }

    public Path logsDir() {
        return stateDir.resolve("logs");
    }

    /** The layer store: every build's rootfs layers, unpacked once. */
    public Path layersDir() {
        return stateDir.resolve("layers");
    }

    public Path runsDir() {
        return stateDir.resolve("runs");
    }

    /** The key that encrypts secret environment variables at rest (made at the first start, 0600). */
    public Path secretsKeyFile() {
        return stateDir.resolve("secrets.key");
    }

    /** The key pair of secret input fields (made at the first start; the private key and its passphrase 0600). */
    public Path inputSecretsKeyDir() {
        return stateDir.resolve("input-secrets");
    }

    /** Where the runtime keeps actord-init and its disk-image templates. */
    public Path libDir() {
        return stateDir.resolve("lib");
    }

    public Path containersDir() {
        return stateDir.resolve("containers");
    }
}
