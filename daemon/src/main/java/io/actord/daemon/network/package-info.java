/**
 * What the daemon gives runs on the network besides their interface: the embedded DNS forwarder
 * ({@link io.actord.daemon.network.DnsForwarder}), listening inside each run's namespace and asking the
 * host's resolvers from the host's namespace.
 */
package io.actord.daemon.network;
