/**
 * The cgroup v2 (unified) driver: the daemon's delegated subtree, controllers enabled on ancestors only,
 * one leaf per run, cgroup.kill and cgroup.events.
 */
package io.actord.cgroups.v2;
