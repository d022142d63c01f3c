/**
 * What a run's network may reach: {@link io.actord.runtime.network.Cidr} ranges and the
 * {@link io.actord.runtime.network.EgressPolicy} built from them, which renders the nftables ruleset loaded
 * inside a run's own network namespace and answers the same question for the daemon's own outbound requests.
 * Pure Java: no JNA, no processes.
 */
package io.actord.runtime.network;
