package io.actord.daemon.access;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.state.Batch;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.Table;

import java.util.Optional;

/**
 * The one place that decides whether a caller may read, change or manage a resource, and how a refusal
 * looks. The rule, strongest first:
 * <pre>
 * caller                                              | may
 * ----------------------------------------------------+--------------------------------------------
 * the admin (Unix socket)                             | everything
 * the resource's owner                                | everything
 * a user the resource's run is shared with            | READ, or READ and WRITE (the grant)
 * anyone, when the run is ANYONE_WITH_ID_CAN_READ     | READ (an anonymous caller too)
 * anyone, when the daemon has --runs-readable-by-id   | READ of the run object only (not its log or storages)
 * anyone else                                         | nothing
 * </pre>
 * A run's log and default storages follow the run; actors, builds and storages of no run are their
 * owner's alone. As on Apify, a resource the caller may not see does not exist for them (404
 * record-not-found, the same answer as for an id that was never made; 401 when they gave no token), and
 * one they may see but not change is 403 insufficient-permissions.
 */
public final class Access {
    private final Table<String, RunSharing> sharing;
    private final boolean runsReadableById;

    /** Access with runs readable by their owner and those they are shared with only. */
    public Access(StateStore store) {
        this(store, false);
    }

    /** @param runsReadableById whether anyone holding a run's id may read the run object (the platform's rule) */
    public Access(StateStore store, boolean runsReadableById) {
        this.sharing = store.table(AccessTables.RUN_SHARING);
        this.runsReadableById = runsReadableById;
    }

    /**
     * A resource as the rule sees it.
     *
     * @param title   how errors name its kind ("Actor run", "Dataset")
     * @param ownerId the user who owns it
     * @param runId   the run whose sharing applies to it, or null (then only its owner may use it)
     */
    public record Resource(String title, String id, String ownerId, String runId) {
        public static Resource run(String runId, String ownerId) {
            return new Resource("Actor run", runId, ownerId, runId);
        }

        public static Resource owned(String title, String id, String ownerId) {
            return new Resource(title, id, ownerId, null);
        }
    }

    /**
     * Passes when the caller may do {@code need} to {@code resource}.
     *
     * @throws ApiException 404 record-not-found when the caller may not see it (401 token-not-provided when
     *                      the caller gave no token), 403 insufficient-permissions when they may see but not
     *                      do {@code need}
     */
    public void check(Caller caller, Resource resource, Need need) {
        Optional<Need> held = level(caller, resource);
        if (held.isPresent() && held.get().covers(need)) {
            return;
        }
        if (held.isPresent()) {
            throw new ApiException(ErrorType.INSUFFICIENT_PERMISSIONS, "you may " + (held.get() == Need.WRITE
                    ? "read and change " : "read ") + resource.title() + " '" + resource.id() + "', but not "
                    + (need == Need.MANAGE ? "what only its owner may (share, rename or delete it; metamorph a run, or"
                    + " resurrect it with another build, memory or timeout)" : "change it"));
        }
        caller.requireUser();
        throw ApiException.notFound(resource.title(), resource.id());
    }

    /**
     * Passes when the caller may read the run object itself ({@code GET /v2/actor-runs/{id}}): anyone may when the
     * daemon is set to let a run's id be the secret, as the platform does; otherwise as {@link #check} with READ.
     */
    public void checkRunObject(Caller caller, Resource run) {
        if (!runsReadableById) {
            check(caller, run, Need.READ);
        }
    }

    /** What the caller may do with the resource; empty when nothing. */
    public Optional<Need> level(Caller caller, Resource resource) {
        if (caller.isAdmin() || caller.is(resource.ownerId())) {
            return Optional.of(Need.MANAGE);
        }
        if (resource.runId() == null) {
            return Optional.empty();
        }
        RunSharing s = sharing(resource.runId());
        Need granted = caller.isAnonymous() ? null : s.grants().get(caller.userId());
        if (granted != null) {
            return Optional.of(granted);
        }
        return s.generalAccess().anyoneCanRead() ? Optional.of(Need.READ) : Optional.empty();
    }

    /** Passes for the admin only: 403 insufficient-permissions naming what needs the admin socket. */
    public void requireAdmin(Caller caller, String what) {
        if (!caller.isAdmin()) {
            throw new ApiException(ErrorType.INSUFFICIENT_PERMISSIONS, what + " only over the daemon's admin Unix"
                    + " socket");
        }
    }

    public RunSharing sharing(String runId) {
        return sharing.get(runId).orElse(RunSharing.PRIVATE);
    }

    public synchronized RunSharing setGeneralAccess(String runId, GeneralAccess access) {
        RunSharing next = sharing(runId).withGeneralAccess(access);
        sharing.put(runId, next);
        return next;
    }

    /** Shares the run with a user, READ or WRITE; null takes the grant back. */
    public synchronized RunSharing grant(String runId, String userId, Need level) {
        if (level == Need.MANAGE) {
            throw ApiException.invalidValue("a run can be shared for READ or WRITE, not MANAGE");
        }
        RunSharing next = sharing(runId).withGrant(userId, level);
        sharing.put(runId, next);
        return next;
    }

    /** Adds forgetting a run's sharing to a batch that deletes the run. */
    public void deleteInBatch(Batch batch, String runId) {
        sharing.deleteInBatch(batch, runId);
    }
}
