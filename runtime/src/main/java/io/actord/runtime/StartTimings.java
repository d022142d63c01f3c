package io.actord.runtime;

import java.time.Duration;

/**
 * Where the time of one {@link ContainerRuntime#create} went.
 *
 * @param cgroup create the cgroup and write its limits
 * @param layer  prepare the writable layer (quota volume)
 * @param launch the launcher thread: namespaces, mounts, pivot_root, spawn of actord-init
 * @param gate   place init in the cgroup
 * @param start  init's part, from the config sent to "started" (the entrypoint exec'd)
 * @param total  all of create, validation and descriptors included
 */
record StartTimings(Duration cgroup, Duration layer, Duration launch, Duration gate, Duration start, Duration total) {
}
