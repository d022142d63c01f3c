package io.actord.daemon.actor;

import io.actord.daemon.state.Keys;
import io.actord.daemon.state.Table;

import java.util.Optional;
import java.util.function.Function;

/**
 * How a URL names a resource that has a name unique per user (an actor, a task): its id, {@code username~name} (of
 * the user who has that name now), or {@code ~name} or a bare name of the caller's.
 */
public final class NamedRefs {
    private NamedRefs() {
    }

    /**
     * The resource {@code ref} names for user {@code userId}.
     *
     * @param usersByName username → user id
     * @param byOwner     userId|name → resource id
     * @param byId        the resource with an id
     */
    public static <T> Optional<T> find(Table<String, String> usersByName, Table<ActorNameKey, String> byOwner,
                                       Function<String, Optional<T>> byId, String userId, String ref) {
        int tilde = ref.indexOf('~');
        if (tilde > 0) {
            return usersByName.get(ref.substring(0, tilde)).flatMap(owner -> byName(byOwner, byId, owner,
                    ref.substring(tilde + 1)));
        }
        if (tilde == 0) {
            return byName(byOwner, byId, userId, ref.substring(1));
        }
        Optional<T> found = byId.apply(ref);
        return found.isPresent() ? found : byName(byOwner, byId, userId, ref);
    }

    private static <T> Optional<T> byName(Table<ActorNameKey, String> byOwner, Function<String, Optional<T>> byId,
                                          String userId, String name) {
        if (name.isEmpty() || userId.isEmpty() || name.indexOf(Keys.SEPARATOR) >= 0
                || userId.indexOf(Keys.SEPARATOR) >= 0) {
            return Optional.empty();
        }
        return byOwner.get(new ActorNameKey(userId, name)).flatMap(byId);
    }
}
