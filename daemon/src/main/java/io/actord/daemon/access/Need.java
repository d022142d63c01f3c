package io.actord.daemon.access;

/**
 * What a caller wants to do with a resource, weakest first: read it (a run, its log and storages), change
 * it (abort and resurrect a run, write its storages), or manage it (change who may see it, rename or delete
 * it). A per-user grant gives READ or WRITE; only the owner (and the admin) may MANAGE.
 */
public enum Need {
    READ, WRITE, MANAGE;

    /** Whether holding {@code this} allows {@code wanted}. */
    public boolean covers(Need wanted) {
        return compareTo(wanted) >= 0;
    }
}
