/**
 * Containers: {@link io.actord.runtime.ContainerRuntime} turns a {@link io.actord.runtime.ContainerSpec}
 * into a running {@link io.actord.runtime.Container} built from namespaces, an overlay rootfs, a quota
 * volume, cgroups and the tiny actord-init. This module knows containers, not Apify runs.
 */
package io.actord.runtime;
