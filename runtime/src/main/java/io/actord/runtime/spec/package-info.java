/** Checking a {@link io.actord.runtime.ContainerSpec} before anything is created for it. */
package io.actord.runtime.spec;
