package io.actord.daemon.http;

import java.util.OptionalInt;

/**
 * Listening sockets the daemon was handed already bound (systemd socket activation): each one replaces
 * the listener of its kind that the configuration would bind.
 *
 * @param unix a listening AF_UNIX stream socket's descriptor
 * @param tcp  a listening TCP socket's descriptor
 */
public record InheritedListeners(OptionalInt unix, OptionalInt tcp) {
    public static final InheritedListeners NONE = new InheritedListeners(OptionalInt.empty(), OptionalInt.empty());

    /** "unix", "tcp", "unix,tcp" or "none", for the log. */
    public String kinds() {
        String kinds = (unix.isPresent() ? ",unix" : "") + (tcp.isPresent() ? ",tcp" : "");
        return kinds.isEmpty() ? "none" : kinds.substring(1);
    }
}
