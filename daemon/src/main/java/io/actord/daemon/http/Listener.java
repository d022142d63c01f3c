package io.actord.daemon.http;

/**
 * Which listener a request came in on: the Unix socket is for the host's admins, TCP takes users' tokens,
 * and RUN is a run's in-run endpoint, which takes that run's token only ({@link Authenticator}).
 */
public enum Listener {
    UNIX, TCP, RUN
}
