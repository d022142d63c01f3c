package io.actord.daemon;

import io.actord.daemon.network.NetworkConfig;

/** What {@code actord --help} prints: every flag {@link DaemonConfig#parse} takes, by the part that reads it. */
final class DaemonUsage {
    static final String TEXT = """
            usage: actord [--config FILE] [--state-dir DIR] [--socket PATH|none] [--listen HOST:PORT|none]
                          [--public-url URL] [--containers-domain DOMAIN] [--container-wait-ms N]
                          [--abort-grace-secs N] [--log-cap-bytes N] [--max-body-bytes N] [--worker-threads N]
                          [--io-threads N] [--cgroup-subtree NAME] [--max-image-bytes N] [--max-image-files N]
                          [--user-memory-limit-mb N] [--user-storage-limit-mb N] [--host-memory-mb N]
                          [--when-host-full queue|refuse]
                          [--run-retention-secs N|none]
                          [--cgroup-parent CGROUP] [--stop-policy abort|drain] [--drain-timeout-secs N]
                          [--max-connections-per-address N] [--max-connections N] [--request-head-timeout-secs N]
                          [--userns auto|host] [--webhook-retries N] [--webhook-first-retry-ms N]
                          [--runs-readable-by-id true|false]
                          [--run-network egress|isolated] [--network-subnet CIDR] [--bridge NAME]
                          [--nft-table NAME] [--cni-conflist FILE] [--cni-path DIR] [--egress-allow CIDR,...]
                          [--egress-deny CIDR,...] [--dns-upstream IP[:PORT],...]
              --state-dir   state (RocksDB, logs, image layers), default /var/lib/actord
              --socket      the admin Unix socket (mode 0660, no token), default /run/actord/actord.sock
              --listen      the TCP listener (every request needs a token), default 127.0.0.1:7070
              --public-url  the base of container URLs, default http://<the TCP listener's address>
              --containers-domain  serve container URLs as http://<token>.DOMAIN[:port]/, each run its own
                            origin (wildcard DNS to the daemon, or localhost: browsers and curl resolve
                            *.localhost to loopback); <public-url>/containers/<token>/ then redirects there.
                            Without it a run's URL is that path, sandboxed on the API's origin
              --container-wait-ms  how long a request waits for a starting run's web server, default 5000
              --io-threads  event-loop threads of the API listeners and the container-URL proxy, default
                            one per core (at least 2)
              --max-image-bytes, --max-image-files
                            the most one image may unpack to, default 16 GiB and 2000000 files
              --user-memory-limit-mb  a user's runs together, unless set per user; default 32768
              --user-storage-limit-mb a user's key-value records, dataset items and queue requests together,
                                      unless set per user (more is refused, 402); default 10240
              --host-memory-mb        all runs together; default the machine's physical memory; 0 (with
                                      --cluster): a host that answers the API and takes no runs
              --when-host-full        a run that does not fit waits READY (queue, default) or gets 503 (refuse)
              --run-retention-secs    finished runs and their default storages are deleted after this long;
                                      default 604800 (7 days), none keeps them
              --cgroup-parent  the cgroup (e.g. /system.slice/actord-runs.service) that holds the runs,
                            default the daemon's own
              --stop-policy what SIGUSR1 (systemctl stop) does to active runs: abort them gracefully
                            (default) or drain (wait up to --drain-timeout-secs, default 300, then abort);
                            SIGTERM and SIGINT stop the daemon and leave runs to the next one
              --max-connections-per-address  open TCP connections one client address may hold (more get 503),
                            default 512; raise it behind a reverse proxy, whose clients all share its address
              --max-connections  open TCP connections in all, default half the descriptors left after 512
                            (the admin socket is never limited)
              --request-head-timeout-secs  a request's line and headers must arrive within this long of its
                            first byte, or the connection is closed; default 30
              --userns      auto (default): each run's container gets a user namespace of its own, its root
                            an unprivileged host uid of a 65536-id range (from /etc/subuid's "actord" or
                            "containers" entry, else 1073741824 up); host: runs share the host's ids
              --webhook-retries, --webhook-first-retry-ms  a failed webhook request is retried this many
                            times, first after this long, then twice as long each time; default 11 and
                            60000 (Apify's: about 34 hours in all)
              --runs-readable-by-id  true: anyone who holds a run's id may GET the run object (not its log or
                            storages) without a token, as on the Apify platform; default false (README: the
                            trade-off)
            """ + NetworkConfig.USAGE + OperationsConfig.USAGE;

    private DaemonUsage() {
    }
}
