package io.actord.runtime.spec;

import io.actord.cgroups.CgroupNames;
import io.actord.runtime.BindMount;
import io.actord.runtime.ContainerSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a {@link ContainerSpec} before anything is made for it, so the kernel never sees a value it would
 * misread: overlayfs options are a comma- and colon-separated string, the init protocol carries
 * NUL-terminated strings, and mounts below /proc, /sys or /dev would shadow what the runtime sets up.
 */
public final class SpecValidator {
    /** RFC 1123 labels; the kernel takes up to 64 bytes (HOST_NAME_MAX). */
    private static final Pattern HOSTNAME = Pattern.compile("(?=.{1,64}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
            + "(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");
    private static final Pattern ENV_NAME = Pattern.compile("[^=\\x00]+");
    private static final List<String> RESERVED_TARGETS = List.of("/proc", "/sys", "/dev");
    /** overlayfs stacks at most this many lower layers (OVL_MAX_STACK). */
    static final int MAX_LAYERS = 500;

    private SpecValidator() {
    }

    /** @throws IllegalArgumentException listing every problem, "invalid container spec: …; …" */
    public static void validate(ContainerSpec spec) {
        List<String> problems = problems(spec);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid container spec " + spec.id() + ": "
                    + String.join("; ", problems));
        }
    }

    public static List<String> problems(ContainerSpec spec) {
        List<String> problems = new ArrayList<>();
        try {
            CgroupNames.check(spec.id());
        } catch (IllegalArgumentException e) {
            problems.add("id: " + e.getMessage());
        }
        if (spec.layers().size() > MAX_LAYERS) {
            problems.add(spec.layers().size() + " layers: overlayfs stacks at most " + MAX_LAYERS);
        }
        for (Path layer : spec.layers()) {
            if (!layer.isAbsolute() || !Files.isDirectory(layer)) {
                problems.add("layer " + layer + " is not an absolute path to a directory");
            }
            if (!overlaySafe(layer)) {
                problems.add("layer " + layer + " contains ',', ':' or a control character (overlayfs options)");
            }
        }
        spec.command().stream().filter(SpecValidator::hasNul).findFirst()
                .ifPresent(a -> problems.add("command argument contains NUL: " + a.replace('\0', '?')));
        for (Map.Entry<String, String> e : spec.env().entrySet()) {
            if (!ENV_NAME.matcher(e.getKey()).matches() || hasNul(e.getValue())) {
                problems.add("environment variable \"" + e.getKey().replace('\0', '?')
                        + "\": names must be non-empty without '=' or NUL, values without NUL");
            }
        }
        if (!spec.workDir().startsWith("/") || hasNul(spec.workDir())) {
            problems.add("workDir must be an absolute path: " + spec.workDir());
        }
        if (spec.user().uid() < 0 || spec.user().gid() < 0 || spec.user().groups().stream().anyMatch(g -> g < 0)) {
            problems.add("user ids must not be negative: " + spec.user());
        }
        if (spec.user().groups().size() > 64) {
            problems.add("at most 64 supplementary groups, got " + spec.user().groups().size());
        }
        if (!HOSTNAME.matcher(spec.hostname()).matches()) {
            problems.add("hostname must be 1–64 characters of letters, digits, '-' and '.': " + spec.hostname());
        }
        for (BindMount m : spec.mounts()) {
            if (!m.source().isAbsolute() || !Files.exists(m.source())) {
                problems.add("bind mount source " + m.source() + " is not an absolute path that exists");
            }
            if (m.target().equals("/") || hasNul(m.target()) || reserved(m.target())) {
                problems.add("bind mount target " + m.target() + " is /, or below /proc, /sys or /dev");
            }
        }
        spec.exchange().filter(e -> reserved(e.path())).ifPresent(e -> problems.add("exchange directory "
                + e.path() + " is below /proc, /sys or /dev"));
        if (!spec.runDir().isAbsolute() || !overlaySafe(spec.runDir())) {
            problems.add("runDir must be an absolute path without ',', ':' or control characters: " + spec.runDir());
        }
        return problems;
    }

    private static boolean reserved(String target) {
        return RESERVED_TARGETS.stream().anyMatch(r -> target.equals(r) || target.startsWith(r + "/"));
    }

    private static boolean overlaySafe(Path path) {
        return path.toString().chars().noneMatch(c -> c == ',' || c == ':' || c < 0x20);
    }

    private static boolean hasNul(String s) {
        return s.indexOf('\0') >= 0;
    }
}
