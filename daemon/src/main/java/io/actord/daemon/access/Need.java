package io.actord.daemon.access;

/**
 * What a caller wants to do with a resource, weakest first: read it (a run, its log and storages), change
 * it (abort, reboot and resurrect a run as it was, write its storages, set its status message), or manage it
 * (change who may see it, rename or delete it; metamorph a run or resurrect it with another build, memory or
 * timeout: those run other code or spend more of the owner's limits, and the run's container always gets the
 * owner's token). A per-user grant gives READ or WRITE; only the owner (and the admin) may MANAGE.
 */
public enum Need {
    READ, WRITE, MANAGE;

    /** Whether holding {@code this} allows {@code wanted}. */
    public boolean covers(Need wanted) {
        return compareTo(wanted) >= 0;
    }
}
