/**
 * Starting and watching a container's first process: the launcher thread's sequence
 * ({@link io.actord.runtime.process.ContainerLauncher}), the daemon ↔ actord-init protocol with its diagram
 * ({@link io.actord.runtime.process.InitProtocol}), the init binary that ships in the jar
 * ({@link io.actord.runtime.process.InitBinary}) and the thread that reaps inits
 * ({@link io.actord.runtime.process.ExitWatcher}). actord-init's C source is in {@code src/main/c}.
 */
package io.actord.runtime.process;
