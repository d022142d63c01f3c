package io.actord.runtime.userns;

import java.util.Locale;

/**
 * Whose ids a container's processes and files have.
 *
 * <ul>
 *   <li>{@link #HOST}: the host's (no user namespace); the workload's root is the host's root, held back
 *       only by capabilities, seccomp and the other namespaces;</li>
 *   <li>{@link #AUTO}: a user namespace of its own, its ids 0..65535 mapped to a range of host ids no live
 *       container shares (podman's {@code --userns=auto}); its root is an unprivileged host uid.</li>
 * </ul>
 */
public enum UserNamespaceMode {
    HOST, AUTO;

    /** "host" or "auto", as the daemon's {@code --userns} flag takes it. */
    public static UserNamespaceMode parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "host" -> HOST;
            case "auto" -> AUTO;
            default -> throw new IllegalArgumentException("user namespace mode must be host or auto: " + value);
        };
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
