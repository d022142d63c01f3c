package io.actord.daemon.network;

/** A DNS message that does not parse; the forwarder answers FORMERR when the header was readable, else drops it. */
final class MalformedDnsException extends Exception {
    MalformedDnsException(String message) {
        super(message, null, false, false);
    }
}
