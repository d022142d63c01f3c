package io.actord.runtime.network;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The host's side of the runs' network, as Docker sets it up: IPv4 forwarding on, and one nft table of
 * actord's ({@code table ip actord} by default) that masquerades the runs' subnet when it leaves through
 * anything but the bridge and accepts forwarding from and back to the bridge. Set up once (thread-safe,
 * idempotent: the table is redefined atomically, so a restarted daemon's setup replaces its predecessor's);
 * removed, with the bridge, when the last run is gone.
 */
public final class HostNat {
    private static final Logger LOG = LoggerFactory.getLogger(HostNat.class);
    static final Path IP_FORWARD = Path.of("/proc/sys/net/ipv4/ip_forward");

    private final String table;
    private final String bridge;
    private final String subnet;
    private boolean ready;

    public HostNat(String table, String bridge, String subnet) {
        if (!table.matches("[A-Za-z][A-Za-z0-9_-]{0,63}")) {
            throw new IllegalArgumentException("nft table name must be letters, digits, '_' and '-': " + table);
        }
        this.table = table;
        this.bridge = bridge;
        this.subnet = subnet;
    }

    public String table() {
        return table;
    }

    /** The table's text. */
    String ruleset() {
        return """
                table ip %1$s
                delete table ip %1$s
                table ip %1$s {
                    chain postrouting {
                        type nat hook postrouting priority srcnat; policy accept;
                        ip saddr %2$s oifname != "%3$s" masquerade
                    }
                    chain forward {
                        type filter hook forward priority filter; policy accept;
                        iifname "%3$s" accept
                        oifname "%3$s" ct state established,related accept
                    }
                }
                """.formatted(table, subnet, bridge);
    }

    /** Turns forwarding on and (re)defines the table; once per daemon. */
    public synchronized void ensure() {
        if (ready) {
            return;
        }
        try {
            if (!Files.readString(IP_FORWARD).trim().equals("1")) {
                Files.writeString(IP_FORWARD, "1");
                LOG.info("net.ipv4.ip_forward set to 1 (runs' traffic is routed through the host)");
            }
        } catch (IOException e) {
            throw new NetworkException("enable IPv4 forwarding in " + IP_FORWARD + ": " + e.getMessage(), e);
        }
        Nft.load(ruleset(), Optional.empty());
        ready = true;
        LOG.info("host nft table ip {} ready: masquerade {} leaving through anything but {}", table, subnet, bridge);
    }

    /** Deletes the table and the bridge (no run is left on it); idempotent. */
    public synchronized void remove() {
        ready = false;
        String tables = Nft.run(List.of(Nft.BINARY, "list", "tables", "ip"), "", "list nft tables");
        if (tables.lines().anyMatch(l -> l.trim().equals("table ip " + table))) {
            Nft.run(List.of(Nft.BINARY, "delete", "table", "ip", table), "", "delete nft table ip " + table);
        }
        if (Files.exists(Path.of("/sys/class/net", bridge))) {
            Nft.run(List.of("ip", "link", "delete", bridge), "", "delete bridge " + bridge);
        }
        LOG.info("host network of the runs removed (nft table ip {}, bridge {})", table, bridge);
    }
}
