/**
 * What a container may not do: the capability set, the seccomp filter (built here as classic BPF, installed
 * by actord-init) and the /proc and /sys paths that are masked or read-only.
 */
package io.actord.runtime.security;
