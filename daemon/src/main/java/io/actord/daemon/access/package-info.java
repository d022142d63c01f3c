/**
 * Who is calling and what they may do: {@link io.actord.daemon.access.Caller} is the identity the one
 * authentication step (in the HTTP layer) gives every request, and {@link io.actord.daemon.access.Access}
 * is the one place that decides, from ownership, a run's general access and per-user grants
 * ({@link io.actord.daemon.access.RunSharing}), whether it may read, change or manage a resource.
 */
package io.actord.daemon.access;
