package io.actord.daemon.http;

/**
 * Which listener a request came in on: the Unix socket is for the host's admins, TCP needs a token (users
 * issue), and RUN is a run's in-run endpoint, where the run's own token is checked before routing.
 */
public enum Listener {
    UNIX, TCP, RUN
}
