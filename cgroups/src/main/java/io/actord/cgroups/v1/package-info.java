/**
 * The cgroup v1 driver for legacy and hybrid hosts: limits through the memory, cpu and pids hierarchies
 * (created only below the cgroups this process already sits in), tracking and cgroup.kill through the
 * controller-less cgroup2 hierarchy when a hybrid host mounts one.
 */
package io.actord.cgroups.v1;
