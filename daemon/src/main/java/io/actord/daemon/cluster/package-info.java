/**
 * Cluster membership on etcd (#26, its first step): in cluster mode each daemon holds an etcd lease, keeps its host
 * record under it, and watches the other hosts' records, so every host knows the live member set by push and a host
 * that cannot renew its lease knows it is out. Routing: a request that needs a run's host is relayed to it
 * ({@link io.actord.daemon.cluster.RunRelay}) with the cluster's shared token. Placement and migration build on this
 * later.
 */
package io.actord.daemon.cluster;
