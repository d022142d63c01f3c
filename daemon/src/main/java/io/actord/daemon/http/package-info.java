/**
 * The HTTP API on Netty: {@link io.actord.daemon.http.ApiServer} binds the Unix socket and the TCP
 * listener (event loops from {@link io.actord.daemon.http.Transports}), {@link io.actord.daemon.http.ApiChannelInitializer}
 * builds the pipeline, and the stateless {@link io.actord.daemon.http.ApiHandler} hands each request to the
 * {@link io.actord.daemon.http.Router}'s handler on a worker executor — never on an event loop — and writes
 * the {@link io.actord.daemon.http.ApiResponse} back. Errors become bodies only in {@link io.actord.daemon.http.ErrorResponses}.
 */
package io.actord.daemon.http;
