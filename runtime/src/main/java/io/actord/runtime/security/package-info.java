/**
 * What a container may not do: the capability set, the seccomp filter and the /proc and /sys paths that
 * are masked or read-only.
 *
 * <p>The seccomp filter is an allow-list with the semantics of the moby/containerd/podman default profile.
 * {@link io.actord.runtime.security.SeccompTable} is its checked-in source: for each x86_64 syscall, allow,
 * allow after an argument check, or an errno, generated from podman's profile (Debian's
 * golang-github-containers-common) and the kernel headers for a run's capabilities (Docker's default but
 * NET_RAW and AUDIT_WRITE), plus actord's hardening where the profile leaves a call to the capabilities (the mount API,
 * unshare and setns, clone with namespace flags, ptrace, keyrings, io_uring and the rest of the earlier
 * deny-list: EPERM; clone3: ENOSYS). {@link io.actord.runtime.security.SeccompProgram} compiles it to
 * classic BPF (a binary search over number ranges, about 150 instructions, a dozen run per call) that
 * actord-init installs: another architecture's call kills the task, a number the table does not know gets
 * ENOSYS so newer libcs fall back.
 */
package io.actord.runtime.security;
