package io.actord.daemon.api.dto;

/**
 * DELETE /v2/actord/daemon/drain (actord's own namespace): the host's drain is over.
 *
 * @param hostId   the host
 * @param claiming whether it claims runs now (false only while it is out of the cluster)
 */
public record UndrainDto(String hostId, boolean claiming) {
}
