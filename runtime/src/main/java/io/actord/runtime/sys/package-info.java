/**
 * The runtime's system calls: {@link io.actord.runtime.sys.Linux} says what the runtime wants from the
 * kernel in Java types, {@link io.actord.runtime.sys.JnaLinux} does it through glibc, and every failure is
 * a {@link io.actord.runtime.sys.SyscallException} naming the call, its arguments and the errno. This is the
 * only package that imports JNA.
 */
package io.actord.runtime.sys;
