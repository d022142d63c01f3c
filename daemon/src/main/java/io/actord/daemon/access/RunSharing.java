package io.actord.daemon.access;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a run is shared (stored apart from the run, which its supervisor owns): its general access and the
 * users it is shared with, each with {@link Need#READ} or {@link Need#WRITE}. Its log and default
 * storages follow it.
 *
 * @param grants userId → what that user may do
 */
public record RunSharing(int schemaVersion, GeneralAccess generalAccess, Map<String, Need> grants) {
    public static final int SCHEMA = 1;
    /** A run nobody shared: only its owner (and the admin) may see it. */
    public static final RunSharing PRIVATE = new RunSharing(SCHEMA, GeneralAccess.FOLLOW_USER_SETTING, Map.of());

    public RunSharing {
        generalAccess = generalAccess == null ? GeneralAccess.FOLLOW_USER_SETTING : generalAccess;
        grants = grants == null ? Map.of() : Map.copyOf(grants);
    }

    public RunSharing withGeneralAccess(GeneralAccess access) {
        return new RunSharing(SCHEMA, access, grants);
    }

    /** With {@code level} for {@code userId}, or without any grant for them when {@code level} is null. */
    public RunSharing withGrant(String userId, Need level) {
        Map<String, Need> g = new LinkedHashMap<>(grants);
        if (level == null) {
            g.remove(userId);
        } else {
            g.put(userId, level);
        }
        return new RunSharing(SCHEMA, generalAccess, g);
    }
}
