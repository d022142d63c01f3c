package io.actord.daemon.actor;

import io.actord.daemon.api.ApiException;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The actors with standby enabled, by standby label ({@link ActorStandby#label}: what a standby URL names), in
 * memory: built from the stored actors when the daemon starts, kept up to date by {@link ActorService}'s writes
 * (under its lock). Reads are lock-free.
 */
final class StandbyIndex {
    private final Map<String, String> byLabel = new ConcurrentHashMap<>();
    private final Map<String, String> labelOf = new ConcurrentHashMap<>();

    private final boolean shared;
    private final Supplier<Iterable<Actor>> stored;

    /**
     * @param shared whether other daemons change the actors too (a {@code StateStore#shared} store): then the index is
     *               read again from {@code stored} before each check and when a label is not found (a scan of every
     *               actor; actor writes and unknown standby labels are rare)
     */
    StandbyIndex(boolean shared, Supplier<Iterable<Actor>> stored) {
        this.shared = shared;
        this.stored = stored;
        stored.get().forEach(this::put);
    }

    /** On a shared store, forgets everything and records the actors as they are stored now; the caller holds the actors' lock. */
    void refresh() {
        if (shared) {
            byLabel.clear();
            labelOf.clear();
            stored.get().forEach(this::put);
        }
    }

    /** The actor with standby enabled on {@code standbyLabel}, as {@code actors} reads it now. */
    Optional<Actor> find(String standbyLabel, Function<String, Optional<Actor>> actors) {
        Optional<Actor> found = find(standbyLabel).flatMap(actors)
                .filter(a -> a.standby().isEnabled() && labelOf(a).equals(standbyLabel));
        if (found.isEmpty() && shared) {
            refresh();
            return find(standbyLabel).flatMap(actors);
        }
        return found;
    }

    /** 400 invalid-value when {@code actor} enables standby on a label another actor's standby has. */
    void checkFree(Actor actor) {
        if (!actor.standby().isEnabled()) {
            return;
        }
        String taken = byLabel.get(labelOf(actor));
        if (taken != null && !taken.equals(actor.id())) {
            throw ApiException.invalidValue("actorStandby.isEnabled: standby URL label '" + labelOf(actor)
                    + "' is already another actor's (standby labels ignore case and read '.' and '_' as '-');"
                    + " rename the actor or disable standby on the other");
        }
    }

    /** Records {@code actor} as it is now stored. */
    void put(Actor actor) {
        remove(actor.id());
        if (actor.standby().isEnabled()) {
            String l = labelOf(actor);
            byLabel.put(l, actor.id());
            labelOf.put(actor.id(), l);
        }
    }

    void remove(String actorId) {
        String old = labelOf.remove(actorId);
        if (old != null) {
            byLabel.remove(old, actorId);
        }
    }

    Optional<String> find(String standbyLabel) {
        return Optional.ofNullable(byLabel.get(standbyLabel));
    }

    private String labelOf(Actor actor) {
        return ActorStandby.label(actor.username(), actor.name());
    }
}
