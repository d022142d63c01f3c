/**
 * The container-URL proxy: requests to a run's container URL (host or path form, see
 * {@link io.actord.daemon.run.ContainerUrls}) on the daemon's API listeners are relayed, streaming, to the
 * run's web server at 127.0.0.1:port inside the run's own network namespace, where the proxy opens its
 * sockets (no veth, no bridge). {@link io.actord.daemon.proxy.ContainerAddressResolver} is the only class
 * that maps tokens to runs. In Netty's HexDumpProxy shape, {@link io.actord.daemon.proxy.ProxyFrontendHandler}
 * sits in each API connection and takes its container-URL requests, one
 * {@link io.actord.daemon.proxy.ProxyExchange} (a request, its answer and the phase the answer is in) at a
 * time, with {@link io.actord.daemon.proxy.ProxyBackendHandler} on the run's side;
 * {@link io.actord.daemon.proxy.ForwardedHeaders} says where a request came from, and after a
 * {@code 101 Switching Protocols} both connections become a {@link io.actord.daemon.proxy.ByteTunnel}.
 */
package io.actord.daemon.proxy;
