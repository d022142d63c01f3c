/**
 * Reading and writing cgroupfs and /proc files: one value per write(2), errors that name the file, the
 * data and the kernel's errno, and parsers for /proc/self/mountinfo and /proc/self/cgroup.
 */
package io.actord.cgroups.fs;
