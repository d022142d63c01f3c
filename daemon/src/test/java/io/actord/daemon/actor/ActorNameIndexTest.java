package io.actord.daemon.actor;

import io.actord.daemon.ActorDaemon;
import io.actord.daemon.user.UserTables;
import io.actord.daemon.state.RocksStateStore;
import io.actord.daemon.state.StateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store written when actor names were keyed by username opens with them keyed by the owner's id; the stored
 * standby actors are indexed by label when it opens.
 */
class ActorNameIndexTest {
    @TempDir
    Path dir;

    @Test
    void shouldMoveANameIndexKeyedByUsernameToTheOwnersId() {
        try (StateStore store = RocksStateStore.open(dir.resolve("rocksdb"), ActorDaemon.TABLES)) {
            Instant now = Instant.parse("2026-01-01T00:00:00Z");
            Actor actor = new Actor(Actor.SCHEMA, "actorId0000000001", "annUserId00000001", "ann", "srv", null, null, now,
                    now, DefaultRunOptions.STANDARD, Map.of(), 0);
            store.table(ActorTables.ACTORS).put(actor.id(), actor);
            store.table(UserTables.USERS_BY_NAME).put("ann", actor.userId());
            store.table(ActorTables.ACTORS_BY_NAME).put(new ActorNameKey("ann", "srv"), actor.id());

            ActorService actors = new ActorService(store, null, Clock.systemUTC());

            assertEquals(actor.id(), actors.get(actor.userId(), "srv").id());
            assertEquals(actor.id(), actors.get("someoneElse000001", "ann~srv").id());
            assertEquals(1, actors.list(actor.userId(), 0, 10, false).total());
            assertEquals(0, store.table(ActorTables.ACTORS_BY_NAME).count(), "the old index is emptied");
        }
    }

    @Test
    void shouldIndexTheStoredStandbyActorsByLabelWhenItOpens() {
        try (StateStore store = RocksStateStore.open(dir.resolve("rocksdb"), ActorDaemon.TABLES)) {
            Instant now = Instant.parse("2026-01-01T00:00:00Z");
            Actor on = new Actor(Actor.SCHEMA, "actorId0000000001", "annUserId00000001", "ann.x", "Srv", null, null,
                    now, now, DefaultRunOptions.STANDARD, Map.of(), 0, ActorStandby.ENABLED);
            Actor off = new Actor(Actor.SCHEMA, "actorId0000000002", "annUserId00000001", "ann.x", "off", null, null,
                    now, now, DefaultRunOptions.STANDARD, Map.of(), 0, ActorStandby.DISABLED);
            store.table(ActorTables.ACTORS).put(on.id(), on);
            store.table(ActorTables.ACTORS).put(off.id(), off);

            ActorService actors = new ActorService(store, null, Clock.systemUTC());

            assertEquals(on.id(), actors.findStandby("ann-x--srv").orElseThrow().id());
            assertTrue(actors.findStandby("ann-x--off").isEmpty(), "standby disabled");
        }
    }
}
