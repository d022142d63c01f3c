package io.actord.daemon.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;

/**
 * What a proxied request tells the run's server about where it came from, as reverse proxies say it:
 * X-Forwarded-For (the client's address, appended to a list the request brought), X-Forwarded-Proto (the
 * scheme of the daemon's public URL), X-Forwarded-Host (the Host the client asked for) and, for the path
 * form, X-Forwarded-Prefix (the path the proxy took off). One per client connection.
 *
 * @param clientIp the client's address; none on the Unix socket
 * @param scheme   the scheme of the daemon's public URL
 */
record ForwardedHeaders(Optional<String> clientIp, String scheme) {
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    private static final AsciiString X_FORWARDED_PREFIX = AsciiString.cached("x-forwarded-prefix");

    /** For a connection from {@code remote} (an IP address, or a Unix socket's peer). */
    static ForwardedHeaders of(SocketAddress remote, String scheme) {
        Optional<String> ip = remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? Optional.of(inet.getAddress().getHostAddress()) : Optional.empty();
        return new ForwardedHeaders(ip, scheme);
    }

    /** Sets the headers on a request going to a run; {@code prefix} is what the path form took off. */
    void addTo(HttpHeaders h, Optional<String> prefix) {
        clientIp.ifPresent(ip -> {
            String before = h.get(X_FORWARDED_FOR);
            h.set(X_FORWARDED_FOR, before == null ? ip : before + ", " + ip);
        });
        h.set(X_FORWARDED_PROTO, scheme);
        String host = h.get(HttpHeaderNames.HOST);
        if (host != null) {
            h.set(X_FORWARDED_HOST, host);
        }
        prefix.ifPresent(p -> h.set(X_FORWARDED_PREFIX, p));
    }
}
