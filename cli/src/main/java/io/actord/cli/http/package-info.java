/**
 * A small HTTP/1.1 client over a {@link java.nio.channels.SocketChannel}, for the daemon's Unix socket (which
 * the JDK's HttpClient cannot reach) and its TCP listener alike: one request per connection, fixed-length,
 * chunked or read-to-close bodies, and a body stream that a live log can be followed through.
 */
package io.actord.cli.http;
