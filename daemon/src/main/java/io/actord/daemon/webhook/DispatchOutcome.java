package io.actord.daemon.webhook;

/** How one attempt to send a webhook request ended (the daemon's metrics count them). */
public enum DispatchOutcome {
    /** A 2xx answer: the dispatch is done. */
    DELIVERED,
    /** No answer or not 2xx; it is tried again later. */
    RETRY,
    /** No answer or not 2xx on the last attempt: the dispatch failed. */
    GAVE_UP,
    /** Not sent: its host's address is one the egress policy does not permit. */
    REFUSED
}
