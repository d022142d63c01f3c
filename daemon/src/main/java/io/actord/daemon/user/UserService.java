package io.actord.daemon.user;

import io.actord.daemon.common.Ids;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.state.CloseableIterator;
import io.actord.daemon.state.Entry;
import io.actord.daemon.state.Scan;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The accounts: the daemon's own ({@value #LOCAL_USERNAME}, made at first start; the admin acts as it and
 * it cannot be deleted) and the users the admin adds, each with its tokens ({@link Tokens}) and its memory
 * limit. Writes are serialised by one lock, which keeps usernames unique.
 */
public final class UserService {
    public static final String LOCAL_USERNAME = "local";
    /** Letters, digits, '.', '_' and '-', 2 to 63 characters, starting and ending with a letter or digit. */
    private static final Pattern USERNAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9._-]{0,61}[a-zA-Z0-9]$");
    private static final Logger LOG = LoggerFactory.getLogger(UserService.class);

    /** The lock of user changes ({@link StateStore#locked}: across daemons on a shared store). */
    private static final List<String> WRITE_LOCK = List.of("users");

    private final StateStore store;
    private final Table<String, User> users;
    private final Table<String, String> byName;
    private final Tokens tokens;
    private final Clock clock;
    private final int defaultMemoryLimitMbytes;
    private final long defaultStorageLimitMbytes;
    private final User local;

    /**
     * @param defaultMemoryLimitMbytes  the memory limit of a user who has none of their own
     * @param defaultStorageLimitMbytes the storage limit of a user who has none of their own
     */
    public UserService(StateStore store, Tokens tokens, Clock clock, int defaultMemoryLimitMbytes,
                       long defaultStorageLimitMbytes) {
        this.store = store;
        this.users = store.table(UserTables.USERS);
        this.byName = store.table(UserTables.USERS_BY_NAME);
        this.tokens = tokens;
        this.clock = clock;
        this.defaultMemoryLimitMbytes = defaultMemoryLimitMbytes;
        this.defaultStorageLimitMbytes = defaultStorageLimitMbytes;
        this.local = store.locked(WRITE_LOCK, this::loadOrCreateLocal);
    }

    /** The daemon's own account: the admin acts as it, and what the admin makes belongs to it. */
    public User local() {
        return local;
    }

    public Tokens tokens() {
        return tokens;
    }

    /**
     * The local account by name; a state directory from before usernames were indexed has it as its only
     * user, which is indexed now.
     */
    private User loadOrCreateLocal() {
        Optional<User> named = byName.get(LOCAL_USERNAME).flatMap(users::get);
        if (named.isPresent()) {
            return named.get();
        }
        try (CloseableIterator<Entry<String, User>> it = users.scan(Scan.all())) {
            while (it.hasNext()) {
                User u = it.next().value();
                if (u.username().equals(LOCAL_USERNAME)) {
                    byName.put(LOCAL_USERNAME, u.id());
                    return u;
                }
            }
        }
        User u = new User(User.SCHEMA, Ids.newId(), LOCAL_USERNAME, clock.instant(), null, null);
        store.write(b -> {
            users.putInBatch(b, u.id(), u);
            byName.putInBatch(b, u.username(), u.id());
        });
        LOG.info("local account created user={} username={}", u.id(), u.username());
        return u;
    }

    /** Adds a user with the daemon's storage limit; 400 invalid-value for a bad or taken username or a bad limit. */
    public User create(String username, Integer memoryLimitMbytes) {
        return create(username, memoryLimitMbytes, null);
    }

    /** Adds a user; a null limit is the daemon's default. 400 invalid-value for a bad or taken username or limit. */
    public User create(String username, Integer memoryLimitMbytes, Integer storageLimitMbytes) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw ApiException.invalidValue("username '" + username + "' is not valid: use 2 to 63 letters, digits,"
                    + " '.', '_' and '-', starting and ending with a letter or digit");
        }
        validLimit(memoryLimitMbytes);
        validStorageLimit(storageLimitMbytes);
        return store.locked(WRITE_LOCK, () -> {
            if (byName.get(username).isPresent()) {
                throw ApiException.invalidValue("a user named '" + username + "' already exists");
            }
            User u = new User(User.SCHEMA, Ids.newId(), username, clock.instant(), memoryLimitMbytes,
                    storageLimitMbytes);
            store.write(b -> {
                users.putInBatch(b, u.id(), u);
                byName.putInBatch(b, u.username(), u.id());
            });
            LOG.info("user created user={} username={}", u.id(), u.username());
            return u;
        });
    }

    /** A user by id or username. */
    public Optional<User> find(String ref) {
        Optional<User> byId = users.get(ref);
        return byId.isPresent() ? byId : byName.get(ref).flatMap(users::get);
    }

    public User get(String ref) {
        return find(ref).orElseThrow(() -> ApiException.notFound("User", ref));
    }

    /** Every user, by username. */
    public List<User> list() {
        List<User> out = new ArrayList<>();
        try (CloseableIterator<Entry<String, String>> it = byName.scan(Scan.all())) {
            it.forEachRemaining(e -> users.get(e.value()).ifPresent(out::add));
        }
        return out;
    }

    /** Sets a user's memory limit; null goes back to the daemon's default. */
    public User setMemoryLimit(String ref, Integer memoryLimitMbytes) {
        validLimit(memoryLimitMbytes);
        return change(ref, u -> u.withMemoryLimit(memoryLimitMbytes));
    }

    /** Sets a user's storage limit; null goes back to the daemon's default. */
    public User setStorageLimit(String ref, Integer storageLimitMbytes) {
        validStorageLimit(storageLimitMbytes);
        return change(ref, u -> u.withStorageLimit(storageLimitMbytes));
    }

    private User change(String ref, UnaryOperator<User> change) {
        return store.locked(WRITE_LOCK, () -> {
            User updated = change.apply(get(ref));
            users.put(updated.id(), updated);
            return updated;
        });
    }

    /**
     * Deletes a user and all their tokens in one write, so their tokens stop working at once. Refused for
     * the local account and while the user has runs that have not finished. What they own stays, reachable
     * by the admin.
     */
    public User delete(String ref, Predicate<String> hasActiveRuns) {
        return store.locked(WRITE_LOCK, () -> {
            User u = get(ref);
            if (u.id().equals(local.id())) {
                throw new ApiException(ErrorType.INVALID_VALUE, "the daemon's own account '" + LOCAL_USERNAME
                        + "' cannot be deleted");
            }
            if (hasActiveRuns.test(u.id())) {
                throw new ApiException(ErrorType.RUN_STATE_CONFLICT, "user '" + u.username() + "' has runs that have"
                        + " not finished; abort them first");
            }
            store.write(b -> {
                tokens.deleteAllInBatch(b, u.id());
                users.deleteInBatch(b, u.id());
                byName.deleteInBatch(b, u.username());
            });
            LOG.info("user deleted user={} username={}", u.id(), u.username());
            return u;
        });
    }

    /** The most memory the user's active runs may have together, in MB. */
    public int memoryLimitMbytes(String userId) {
        return users.get(userId).map(User::memoryLimitMbytes).orElse(defaultMemoryLimitMbytes);
    }

    /** The most the user's storages may hold together, in MB. */
    public long storageLimitMbytes(String userId) {
        return users.get(userId).map(User::storageLimitMbytes).map(Integer::longValue)
                .orElse(defaultStorageLimitMbytes);
    }

    private static void validStorageLimit(Integer mb) {
        if (mb != null && mb < 1) {
            throw ApiException.invalidValue("storageLimitMbytes must be at least 1, got " + mb);
        }
    }

    private static void validLimit(Integer mb) {
        if (mb != null && mb < 128) {
            throw ApiException.invalidValue("memoryLimitMbytes must be at least 128, got " + mb);
        }
    }
}
