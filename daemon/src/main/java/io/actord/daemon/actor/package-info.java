/**
 * Actors and their builds: {@link io.actord.daemon.actor.ActorService} creates, finds and tags them;
 * {@link io.actord.daemon.actor.RootfsImporter} turns a directory or tar on the host into a build's rootfs.
 */
package io.actord.daemon.actor;
