package io.actord.runtime.security;

import io.actord.runtime.sys.Errno;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the seccomp filter answers for each syscall number of the x86_64 table: the checked-in resource
 * {@code seccomp-x86_64.txt}, generated (never edited) from podman's default profile and the kernel headers
 * by SeccompTableGenerator in the test sources (runtime/src/build/seccomp-table runs it). A number the table
 * does not list, a gap or one above {@link #maxNr()}, is a syscall newer than the headers: the filter
 * answers it ENOSYS, as runc does, so a newer libc falls back to the call it replaces.
 *
 * <p>One line a syscall, {@code NUMBER NAME ACTION SOURCE}. ACTION is {@code allow}, an errno name
 * ({@code EPERM}), {@code allow-if-arg0-in:V1,V2,...:ERRNO} (allowed when the 64-bit first argument is one
 * of the values) or {@code allow-if-arg0-clear:MASK:ERRNO} (allowed when the low 32 bits of the first
 * argument have none of MASK's bits; legacy clone reads only those, kernel/fork.c). SOURCE says why:
 * {@code profile}, {@code actord} (actord's hardening over the profile) or {@code default} (the profile
 * does not name the call and its default errno applies). Lines starting with '#' are the header.
 *
 * @param header  the '#' lines, which record where the table came from
 * @param entries by syscall number
 */
public record SeccompTable(List<String> header, NavigableMap<Integer, Entry> entries) {
    static final String RESOURCE = "seccomp-x86_64.txt";

    /** What the filter does with one syscall. */
    public sealed interface Action {
    }

    public record Allow() implements Action {
    }

    /** Fails the call with this errno (SECCOMP_RET_ERRNO). */
    public record Deny(Errno errno) implements Action {
    }

    /**
     * Allowed when args[0] (all 64 bits) is one of {@code values}; otherwise fails with {@code otherwise}.
     * The values fit in 32 bits (personality's personas do), so the filter checks the high half is zero.
     */
    public record AllowIfArg0In(List<Long> values, Errno otherwise) implements Action {
        public AllowIfArg0In {
            values = List.copyOf(values);
            if (values.isEmpty() || values.stream().anyMatch(v -> v < 0 || v > 0xFFFF_FFFFL)) {
                throw new IllegalArgumentException("allow-if-arg0-in needs values of 0 to 2^32-1: " + values);
            }
        }
    }

    /** Allowed when the low 32 bits of args[0] have none of {@code mask}'s bits; otherwise fails. */
    public record AllowIfArg0Clear(int mask, Errno otherwise) implements Action {
    }

    public record Entry(int nr, String name, Action action, String source) {
    }

    public SeccompTable {
        header = List.copyOf(header);
        entries = Collections.unmodifiableNavigableMap(new TreeMap<>(entries));
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("seccomp table without syscalls");
        }
    }

    /** The table the build checked in, which {@link SeccompProgram#defaultAllowList()} compiles. */
    public static SeccompTable bundled() {
        try (InputStream in = SeccompTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("read resource " + RESOURCE, e);
        }
    }

    /** The highest syscall number the table knows. */
    public int maxNr() {
        return entries.lastKey();
    }

    public Entry byName(String name) {
        return entries.values().stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no syscall " + name + " in the seccomp table"));
    }

    public static SeccompTable parse(String text) {
        List<String> header = new ArrayList<>();
        NavigableMap<Integer, Entry> entries = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) {
                header.add(line);
            } else if (!line.isBlank()) {
                String[] f = line.trim().split("\\s+");
                if (f.length != 4) {
                    throw new IllegalArgumentException("seccomp table line is not NUMBER NAME ACTION SOURCE: " + line);
                }
                Entry e = new Entry(Integer.parseInt(f[0]), f[1], parseAction(f[2]), f[3]);
                if (entries.put(e.nr(), e) != null) {
                    throw new IllegalArgumentException("seccomp table lists syscall " + e.nr() + " twice");
                }
            }
        }
        return new SeccompTable(header, entries);
    }

    /** The text {@link #parse} reads back: the header, then one line a syscall in number order. */
    public String format() {
        StringBuilder out = new StringBuilder();
        header.forEach(h -> out.append(h).append('\n'));
        for (Entry e : entries.values()) {
            out.append(String.format(Locale.ROOT, "%d %s %s %s\n", e.nr(), e.name(), format(e.action()), e.source()));
        }
        return out.toString();
    }

    private static Action parseAction(String s) {
        String[] p = s.split(":");
        return switch (p[0]) {
            case "allow" -> new Allow();
            case "allow-if-arg0-in" -> new AllowIfArg0In(
                    Stream.of(p[1].split(",")).map(Long::decode).toList(), Errno.valueOf(p[2]));
            case "allow-if-arg0-clear" -> new AllowIfArg0Clear(Long.decode(p[1]).intValue(), Errno.valueOf(p[2]));
            default -> new Deny(Errno.valueOf(p[0]));
        };
    }

    private static String format(Action a) {
        if (a instanceof Deny d) {
            return d.errno().name();
        } else if (a instanceof AllowIfArg0In in) {
            return "allow-if-arg0-in:" + in.values().stream().map(v -> "0x" + Long.toHexString(v))
                    .collect(Collectors.joining(",")) + ":" + in.otherwise().name();
        } else if (a instanceof AllowIfArg0Clear c) {
            return "allow-if-arg0-clear:0x" + Integer.toHexString(c.mask()) + ":" + c.otherwise().name();
        }
        return "allow";
    }
}
