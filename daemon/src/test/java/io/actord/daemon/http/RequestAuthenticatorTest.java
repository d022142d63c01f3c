package io.actord.daemon.http;

import io.actord.daemon.ActorDaemon;
import io.actord.daemon.access.Caller;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.state.CloseableIterator;
import io.actord.daemon.state.Entry;
import io.actord.daemon.state.Scan;
import io.actord.daemon.state.RocksStateStore;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.Table;
import io.actord.daemon.testing.MutableClock;
import io.actord.daemon.user.ApiToken;
import io.actord.daemon.user.Tokens;
import io.actord.daemon.user.User;
import io.actord.daemon.user.UserService;
import io.actord.daemon.user.UserTables;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tokens and the one authentication step, on a real state store. */
class RequestAuthenticatorTest {
    @TempDir
    Path dir;
    StateStore store;
    UserService users;
    Set<String> activeRuns = ConcurrentHashMap.newKeySet();
    RequestAuthenticator auth;

    @BeforeEach
    void open() {
        store = RocksStateStore.open(dir, ActorDaemon.TABLES);
        users = new UserService(store, new Tokens(store, new MutableClock(Instant.parse("2030-01-01T00:00:00Z"))),
                new MutableClock(Instant.parse("2030-01-01T00:00:00Z")), 32768, 10240);
        auth = new RequestAuthenticator(users, activeRuns::contains);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void shouldTreatTheUnixSocketAsTheAdminActingAsTheLocalAccount() {
        Caller c = auth.authenticate(Listener.UNIX, null, headers(), Map.of());
        assertTrue(c.isAdmin());
        assertEquals(users.local().id(), c.userId());
        assertEquals("local", c.username());
    }

    @Test
    void shouldTakeAUserTokenFromTheHeaderOrTheQuery() {
        User ann = users.create("ann", null);
        String token = users.tokens().issue(ann.id(), "laptop").secret();
        assertTrue(token.matches("apify_api_[A-Za-z0-9]{43}"), token);
        Caller viaHeader = auth.authenticate(Listener.TCP, null, headers("Authorization", "Bearer " + token), Map.of());
        assertEquals(ann.id(), viaHeader.userId());
        assertFalse(viaHeader.isAdmin());
        Caller viaQuery = auth.authenticate(Listener.TCP, null, headers(), Map.of("token", List.of(token)));
        assertEquals(ann.id(), viaQuery.userId());
        assertEquals(ann.id(), auth.authenticate(Listener.TCP, null, headers("authorization", "bearer  " + token),
                Map.of()).userId(), "the scheme is case-insensitive");
        assertTrue(auth.authenticate(Listener.TCP, null, headers(), Map.of()).isAnonymous(), "no token: anonymous");
    }

    @Test
    void shouldStoreOnlyTheHashOfAToken() {
        User ann = users.create("ann", null);
        String token = users.tokens().issue(ann.id(), "laptop").secret();
        Table<String, ApiToken> tokens = store.table(UserTables.TOKENS);
        try (CloseableIterator<Entry<String, ApiToken>> it = tokens.scan(Scan.all())) {
            Entry<String, ApiToken> e = it.next();
            assertEquals(Tokens.hash(token), e.key());
            assertEquals(64, e.key().length());
            assertFalse(e.value().toString().contains(token.substring(14)), "the secret is not stored");
        }
        assertEquals(token.substring(0, 14) + "…", users.tokens().list(ann.id()).get(0).hint());
    }

    @Test
    void shouldRefuseForgedTruncatedAndRevokedTokensWithoutRepeatingThem() {
        User ann = users.create("ann", null);
        Tokens.Issued issued = users.tokens().issue(ann.id(), "laptop");
        String token = issued.secret();
        String forged = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
        for (String bad : List.of(forged, token.substring(0, 30), token + "x", "apify_api_", "x".repeat(600),
                "tok\u00e9n", "a b")) {
            ApiException e = assertThrows(ApiException.class, () -> auth.authenticate(Listener.TCP, null,
                    headers(), Map.of("token", List.of(bad))), bad);
            assertEquals("invalid-token", e.type().type(), bad);
            assertFalse(e.getMessage().contains(bad), e.getMessage());
        }
        assertTrue(users.tokens().revoke(ann.id(), issued.token().id()));
        assertEquals("invalid-token", assertThrows(ApiException.class, () -> auth.authenticate(Listener.TCP, null,
                headers("Authorization", "Bearer " + token), Map.of())).type().type());
    }

    @Test
    void shouldRefuseTokensInTheWrongPlaceOrGivenTwice() {
        User ann = users.create("ann", null);
        String token = users.tokens().issue(ann.id(), "laptop").secret();
        assertEquals("invalid-token", assertThrows(ApiException.class, () -> auth.authenticate(Listener.TCP, null,
                headers("Authorization", "Basic " + token), Map.of())).type().type());
        assertEquals("invalid-token", assertThrows(ApiException.class, () -> auth.authenticate(Listener.TCP, null,
                headers("Authorization", token), Map.of())).type().type());
        assertTrue(auth.authenticate(Listener.TCP, null, headers("X-Apify-Token", token, "Cookie", "token=" + token),
                Map.of()).isAnonymous(), "a token anywhere else is not a token");
        HttpHeaders two = headers("Authorization", "Bearer " + token);
        two.add("Authorization", "Bearer " + token);
        assertEquals("invalid-request", assertThrows(ApiException.class, () -> auth.authenticate(Listener.TCP, null,
                two, Map.of())).type().type());
        assertEquals("invalid-request", assertThrows(ApiException.class, () -> auth.authenticate(Listener.TCP, null,
                headers(), Map.of("token", List.of(token, token)))).type().type());
        assertEquals("invalid-request", assertThrows(ApiException.class, () -> auth.authenticate(Listener.TCP, null,
                headers("Authorization", "Bearer " + token), Map.of("token", List.of("apify_api_other")))).type().type());
    }

    @Test
    void shouldStopAcceptingADeletedUsersTokensAtOnce() {
        User ann = users.create("ann", null);
        String token = users.tokens().issue(ann.id(), "laptop").secret();
        assertEquals(ann.id(), auth.authenticate(Listener.TCP, null, headers("Authorization", "Bearer " + token),
                Map.of()).userId());
        users.delete("ann", id -> false);
        assertEquals("invalid-token", assertThrows(ApiException.class, () -> auth.authenticate(Listener.TCP, null,
                headers("Authorization", "Bearer " + token), Map.of())).type().type());
        assertTrue(users.tokens().list(ann.id()).isEmpty());
    }

    @Test
    void shouldLetARunTokenActAsTheRunsUserOnlyWhileTheRunIsActiveAndOnlyOnItsOwnEndpoint() {
        User ann = users.create("ann", null);
        String first = users.tokens().issueForRun("runIdAAAAAAAAAAAA", ann.id());
        activeRuns.add("runIdAAAAAAAAAAAA");
        Caller c = auth.authenticate(Listener.RUN, "runIdAAAAAAAAAAAA", headers("Authorization", "Bearer " + first),
                Map.of());
        assertEquals(ann.id(), c.userId());
        assertEquals("runIdAAAAAAAAAAAA", c.run().orElseThrow());
        assertEquals(ann.id(), auth.authenticate(Listener.TCP, null, headers("Authorization", "Bearer " + first),
                Map.of()).userId(), "over TCP too");
        assertEquals("invalid-token", assertThrows(ApiException.class, () -> auth.authenticate(Listener.RUN,
                "runIdBBBBBBBBBBBB", headers("Authorization", "Bearer " + first), Map.of())).type().type(),
                "another run's endpoint");
        String user = users.tokens().issue(ann.id(), "laptop").secret();
        assertEquals("invalid-token", assertThrows(ApiException.class, () -> auth.authenticate(Listener.RUN,
                "runIdAAAAAAAAAAAA", headers("Authorization", "Bearer " + user), Map.of())).type().type(),
                "a run's endpoint takes its run's token only");
        assertEquals("token-not-provided", assertThrows(ApiException.class, () -> auth.authenticate(Listener.RUN,
                "runIdAAAAAAAAAAAA", headers(), Map.of())).type().type());
        String second = users.tokens().issueForRun("runIdAAAAAAAAAAAA", ann.id());
        assertThrows(ApiException.class, () -> auth.authenticate(Listener.TCP, null,
                headers("Authorization", "Bearer " + first), Map.of()), "a new container's token replaces the old");
        activeRuns.clear();
        assertThrows(ApiException.class, () -> auth.authenticate(Listener.TCP, null,
                headers("Authorization", "Bearer " + second), Map.of()), "the run ended");
    }

    @Test
    void shouldKeepUsernamesUniqueAndValidAndTheLocalAccountUndeletable() {
        users.create("ann", 2048);
        assertEquals("invalid-value", assertThrows(ApiException.class, () -> users.create("ann", null)).type().type());
        for (String bad : List.of("a", "-ann", "ann~x", "ann/x", "x".repeat(64), "ann ")) {
            assertThrows(ApiException.class, () -> users.create(bad, null), bad);
        }
        assertThrows(ApiException.class, () -> users.create("bob", 64));
        assertEquals(2048, users.memoryLimitMbytes(users.get("ann").id()));
        assertEquals(32768, users.memoryLimitMbytes(users.local().id()));
        assertEquals("invalid-value", assertThrows(ApiException.class, () -> users.delete("local", id -> false))
                .type().type());
        assertEquals("run-state-conflict", assertThrows(ApiException.class, () -> users.delete("ann", id -> true))
                .type().type());
        assertEquals(List.of("ann", "local"), users.list().stream().map(User::username).toList());
    }

    private static HttpHeaders headers(String... nameValues) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < nameValues.length; i += 2) {
            h.add(nameValues[i], nameValues[i + 1]);
        }
        return h;
    }
}
