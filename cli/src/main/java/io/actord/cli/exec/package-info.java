/**
 * {@code actorctl exec}'s end of the exec stream: the frames after the daemon's 101
 * ({@link io.actord.cli.exec.ExecClient}) and the local terminal in raw mode with its size
 * ({@link io.actord.cli.exec.Terminal}).
 */
package io.actord.cli.exec;
