/**
 * Control groups for actord's runs: detects the host's cgroup mode once ({@link io.actord.cgroups.Cgroups}),
 * creates one cgroup per run below the daemon's own, writes limits, reads usage and kills.
 * Pure Java over cgroupfs files; the unified (v2) driver is primary, the v1/hybrid driver is the fallback.
 * The module knows nothing of Apify: {@link io.actord.cgroups.Resources#forMemory(long)} holds the one
 * sizing rule the product needs.
 */
package io.actord.cgroups;
