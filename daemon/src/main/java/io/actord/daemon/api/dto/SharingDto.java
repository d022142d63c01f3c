package io.actord.daemon.api.dto;

import java.util.List;

/** How a run is shared ({@code /v2/actord/actor-runs/{runId}/sharing}): its general access and its grants. */
public record SharingDto(String runId, String generalAccess, List<Grant> users) {
    /** One user the run is shared with: READ or WRITE. */
    public record Grant(String userId, String username, String access) {
    }
}
