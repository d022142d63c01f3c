/**
 * Control groups for actord's runs: detects the host's cgroup mode once ({@link io.actord.cgroups.Cgroups}),
 * creates one cgroup per run below the daemon's own, writes limits, reads usage and kills.
 * Pure Java over cgroupfs files; the unified (v2) driver is primary, the v1/hybrid driver is the fallback.
 * The module knows nothing of Apify: how big a run is (the sizing rule) is the daemon's
 * {@code io.actord.daemon.runoptions.RunSize}; this module writes whatever {@link io.actord.cgroups.Resources} it is given.
 */
package io.actord.cgroups;
