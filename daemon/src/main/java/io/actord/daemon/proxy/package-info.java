/**
 * The container-URL proxy: requests to a run's container URL (host or path form, see
 * {@link io.actord.daemon.run.ContainerUrls}) on the daemon's API listeners are relayed, streaming, to the
 * run's web server at 127.0.0.1:port inside the run's own network namespace, where the proxy opens its
 * sockets (no veth, no bridge). {@link io.actord.daemon.proxy.ContainerAddressResolver} is the only class
 * that maps tokens to runs; {@link io.actord.daemon.proxy.ProxyFrontendHandler} and
 * {@link io.actord.daemon.proxy.ProxyBackendHandler} relay in Netty's HexDumpProxy shape.
 */
package io.actord.daemon.proxy;
