package io.actord.daemon.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The values the API fuzz test draws from: ids of resources the daemon really has (so requests reach the
 * handlers behind the lookups), their mutations, and strings and numbers at the edges of what fields
 * accept. The only URL is on the loopback address and the only host paths are under the test's own
 * directory (an admin request may name a rootfs or image path: none may be the host's own files).
 */
final class FuzzValues {
    private static final List<String> NUMBERS = List.of("0", "1", "-1", "2", "7", "128", "256", "1024", "4096", "65536",
            "3600", "86400", "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
            "-9223372036854775808", "99999999999999999999999999", "1e308", "1e309", "-1e309", "-0.0", "0.5", "1e-400",
            "1.5", "31536000000", "0x10", "01", "1_000");

    private final List<String> strings;
    private final Map<String, List<String>> ids;

    /** {@code ids}: real ids by the stem of the path parameters they fill ("run", "actor", "store" ...). */
    FuzzValues(Map<String, List<String>> ids, String hostDir) {
        this.ids = ids;
        List<String> s = new ArrayList<>(List.of("", "a", "fuzz", "x".repeat(300), "x".repeat(70_000), "~", "me",
                "..", ".", "../../etc/passwd", "%zz", "%", "\u0000", "\n", "\r\n", "\t", "ü", "\uD83D\uDE00", "<script>",
                "a/b", "/", "default", "SUCCEEDED", "RUNNING", "ABORTED", "READ", "WRITE", "FULL", "NONE",
                "ANYONE_WITH_ID_CAN_READ", "RESTRICTED", "application/json", "text/plain", "http://127.0.0.1:9/x",
                "ftp://127.0.0.1:9/", "javascript:alert(1)", "oci:" + hostDir + "/none", "docker-archive:" + hostDir
                        + "/none.tar", hostDir + "/none", "relative/rootfs", "1", "-1", "true", "null",
                "2026-13-45T99:99:99Z", "2020-01-01T00:00:00Z", "local", "fuzz-user", "Bearer x", "0.0", "NaN",
                "sha256:" + "0".repeat(64), "sha256:zz", "{\"a\":1}", "[]", "${jndi:ldap://127.0.0.1:9/}"));
        ids.values().forEach(s::addAll);
        this.strings = List.copyOf(s);
    }

    String string(Random r) {
        return switch (r.nextInt(10)) {
            case 0 -> randomAscii(r, r.nextInt(40));
            case 1 -> mutate(r, strings.get(r.nextInt(strings.size())));
            default -> strings.get(r.nextInt(strings.size()));
        };
    }

    String number(Random r) {
        return r.nextInt(4) == 0 ? Integer.toString(r.nextInt(2000) - 100) : NUMBERS.get(r.nextInt(NUMBERS.size()));
    }

    /** A value for the path parameter {@code param}: mostly a real id of its kind, else any, mutated or not. */
    String pathValue(Random r, String param) {
        String lower = param.toLowerCase();
        List<String> own = ids.entrySet().stream().filter(e -> lower.contains(e.getKey()))
                .flatMap(e -> e.getValue().stream()).toList();
        String v = !own.isEmpty() && r.nextInt(10) < 6 ? own.get(r.nextInt(own.size())) : string(r);
        return r.nextInt(4) == 0 ? mutate(r, v) : v;
    }

    /** A small change: cut, lengthened, a character swapped, case flipped, junk escapes or dot segments. */
    static String mutate(Random r, String v) {
        return switch (r.nextInt(9)) {
            case 0 -> v.isEmpty() ? v : v.substring(0, r.nextInt(v.length()));
            case 1 -> v + randomAscii(r, 1 + r.nextInt(3));
            case 2 -> v.isEmpty() ? "x" : v.substring(0, v.length() - 1) + (char) (33 + r.nextInt(94));
            case 3 -> v.toUpperCase();
            case 4 -> v + List.of("%", "%z", "%zz", "%00", "%2F", "%2e%2e", "%ff%fe", "%C0%AF", "%25").get(r.nextInt(9));
            case 5 -> v + "/..";
            // Repeated up to 50 times, to at most ~4 MB: a value mutated twice (70 000 x's, 50 x 50 times) took 175 MB
            // and the test JVM's heap with it (seed 5921365201572286164, case 83).
            case 6 -> v.repeat(1 + r.nextInt(Math.max(1, Math.min(50, (4 << 20) / Math.max(1, v.length())))));
            case 7 -> "~" + v;
            default -> v.replace('-', '~');
        };
    }

    static String randomAscii(Random r, int n) {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append((char) (32 + r.nextInt(95)));
        }
        return s.toString();
    }

    /** A JSON string literal of {@code s}: quotes, backslashes and control characters escaped. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
