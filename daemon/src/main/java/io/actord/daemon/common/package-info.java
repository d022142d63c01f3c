/**
 * What every package of the daemon uses and none owns: {@link io.actord.daemon.common.Json} (the one configured
 * Jackson mapper), {@link io.actord.daemon.common.Ids} (Apify-style random ids and tokens),
 * {@link io.actord.daemon.common.StateDirectory} (private directories under the state directory),
 * {@link io.actord.daemon.common.HostInfo} (the host's memory, CPUs and cgroup mode),
 * {@link io.actord.daemon.common.EndWaiters} (the runs' and builds' {@code waitForFinish}),
 * {@link io.actord.daemon.common.Threads} (the daemon threads its pools are made of) and
 * {@link io.actord.daemon.common.Futures} (the failure a future's stage saw). It imports no other package
 * of the daemon.
 */
package io.actord.daemon.common;
