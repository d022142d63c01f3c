package io.actord.daemon.access;

import io.actord.daemon.ActorDaemon;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.state.RocksStateStore;
import io.actord.daemon.state.StateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The access rule, row by row, on a real state store (sharing is stored). */
class AccessTest {
    private static final Caller ADMIN = Caller.admin("localUserId000001", "local");
    private static final Caller OWNER = Caller.user("ownerUserId000001", "owner");
    private static final Caller OTHER = Caller.user("otherUserId000001", "other");
    private static final Caller NOBODY = Caller.anonymous();
    private static final String RUN = "runIdAAAAAAAAAAAA";
    private static final Access.Resource THE_RUN = Access.Resource.run(RUN, OWNER.userId());
    private static final Access.Resource ITS_DATASET = new Access.Resource("Dataset", "datasetIdAAAAAAAA",
            OWNER.userId(), RUN);
    private static final Access.Resource NAMED = Access.Resource.owned("Dataset", "namedIdAAAAAAAAAA", OWNER.userId());

    @TempDir
    Path dir;
    StateStore store;
    Access access;

    @BeforeEach
    void open() {
        store = RocksStateStore.open(dir, ActorDaemon.TABLES);
        access = new Access(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void shouldLetTheAdminAndTheOwnerDoEverything() {
        for (Access.Resource r : new Access.Resource[]{THE_RUN, ITS_DATASET, NAMED}) {
            assertEquals(Optional.of(Need.MANAGE), access.level(ADMIN, r));
            assertEquals(Optional.of(Need.MANAGE), access.level(OWNER, r));
        }
    }

    @Test
    void shouldHideAnUnsharedRunFromOthersAs404AndAskAnonymousCallersForAToken() {
        assertEquals(Optional.empty(), access.level(OTHER, THE_RUN));
        ApiException hidden = assertThrows(ApiException.class, () -> access.check(OTHER, THE_RUN, Need.READ));
        assertEquals("record-not-found", hidden.type().type());
        assertEquals("Actor run '" + RUN + "' was not found", hidden.getMessage());
        assertEquals("token-not-provided", assertThrows(ApiException.class,
                () -> access.check(NOBODY, THE_RUN, Need.READ)).type().type());
    }

    @Test
    void shouldLetAReadGrantReadButNotChange() {
        access.grant(RUN, OTHER.userId(), Need.READ);
        assertDoesNotThrow(() -> access.check(OTHER, THE_RUN, Need.READ));
        assertDoesNotThrow(() -> access.check(OTHER, ITS_DATASET, Need.READ), "the run's storages follow it");
        ApiException e = assertThrows(ApiException.class, () -> access.check(OTHER, THE_RUN, Need.WRITE));
        assertEquals("insufficient-permissions", e.type().type());
        assertEquals(403, e.type().status());
        assertEquals("record-not-found", assertThrows(ApiException.class,
                () -> access.check(OTHER, NAMED, Need.READ)).type().type(), "a storage of no run is not shared");
    }

    @Test
    void shouldLetAWriteGrantChangeButNotManage() {
        access.grant(RUN, OTHER.userId(), Need.WRITE);
        assertDoesNotThrow(() -> access.check(OTHER, THE_RUN, Need.WRITE));
        assertDoesNotThrow(() -> access.check(OTHER, ITS_DATASET, Need.WRITE));
        assertEquals("insufficient-permissions", assertThrows(ApiException.class,
                () -> access.check(OTHER, THE_RUN, Need.MANAGE)).type().type());
        access.grant(RUN, OTHER.userId(), null);
        assertEquals(Optional.empty(), access.level(OTHER, THE_RUN), "taken back");
    }

    @Test
    void shouldLetAnyoneReadARunSharedWithAnyoneWithItsId() {
        access.setGeneralAccess(RUN, GeneralAccess.ANYONE_WITH_ID_CAN_READ);
        assertEquals(Optional.of(Need.READ), access.level(NOBODY, THE_RUN));
        assertEquals(Optional.of(Need.READ), access.level(OTHER, ITS_DATASET));
        assertEquals("insufficient-permissions", assertThrows(ApiException.class,
                () -> access.check(OTHER, THE_RUN, Need.WRITE)).type().type());
        access.setGeneralAccess(RUN, GeneralAccess.RESTRICTED);
        assertEquals(Optional.empty(), access.level(NOBODY, THE_RUN));
    }

    @Test
    void shouldRefuseManagingAndGrantingManage() {
        assertThrows(ApiException.class, () -> access.grant(RUN, OTHER.userId(), Need.MANAGE));
        assertEquals("insufficient-permissions", assertThrows(ApiException.class,
                () -> access.requireAdmin(OWNER, "users can be managed")).type().type());
        assertDoesNotThrow(() -> access.requireAdmin(ADMIN, "users can be managed"));
    }

    @Test
    void shouldNotLetAnAnonymousCallerActForAUser() {
        assertTrue(NOBODY.isAnonymous());
        assertFalse(NOBODY.is(OWNER.userId()));
        assertEquals("token-not-provided", assertThrows(ApiException.class, NOBODY::userId).type().type());
    }
}
