package io.actord.daemon.http;

/** Which listener a request came in on: the Unix socket is for the host's admins, TCP needs a token (users issue). */
public enum Listener {
    UNIX, TCP
}
