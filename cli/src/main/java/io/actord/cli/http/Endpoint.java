package io.actord.cli.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/** Where the daemon listens: its Unix socket, or a host and port from an {@code http://} URL. */
public sealed interface Endpoint {
    /** Opens a connected, blocking channel. */
    SocketChannel connect() throws IOException;

    /** The value of the Host header. */
    String host();

    /** The path the API lives under ("" unless a URL names one). */
    String basePath();

    /** The Unix socket at {@code path}. */
    record Unix(Path path) implements Endpoint {
        @Override
        public SocketChannel connect() throws IOException {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(path));
                return channel;
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }

        @Override
        public String host() {
            return "localhost";
        }

        @Override
        public String basePath() {
            return "";
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    /** A TCP listener. */
    record Tcp(String hostName, int port, String basePath) implements Endpoint {
        @Override
        public SocketChannel connect() throws IOException {
            return SocketChannel.open(new InetSocketAddress(hostName, port));
        }

        @Override
        public String host() {
            return hostName.contains(":") ? "[" + hostName + "]:" + port : hostName + ":" + port;
        }

        @Override
        public String toString() {
            return "http://" + host() + basePath;
        }
    }

    /**
     * Parses {@code http://host[:port][/path]}; the port defaults to 80.
     *
     * @throws IllegalArgumentException with a message fit for the user
     */
    static Tcp parseUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + url + "' is not a URL: " + e.getReason());
        }
        if ("https".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("'" + url + "': https is not supported; actord serves plain HTTP"
                    + " (put a TLS proxy in front and use its http:// side, or use the Unix socket)");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("'" + url + "' is not an http://HOST[:PORT] URL");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        if (path.endsWith("/v2")) {
            path = path.substring(0, path.length() - 3);
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                : uri.getHost();
        return new Tcp(host, uri.getPort() < 0 ? 80 : uri.getPort(), path);
    }
}
