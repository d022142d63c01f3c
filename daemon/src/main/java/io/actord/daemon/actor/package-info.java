/**
 * Actors and their builds: {@link io.actord.daemon.actor.ActorService} creates, finds, tags and deletes
 * them; a build's filesystem is a list of layers in the daemon's layer store ({@link io.actord.daemon.image}),
 * imported from an image or a plain rootfs on the host.
 */
package io.actord.daemon.actor;
