package io.actord.daemon.storage;

import io.actord.daemon.access.Access;
import io.actord.daemon.access.Caller;
import io.actord.daemon.access.Need;
import io.actord.daemon.common.Ids;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.state.Batch;
import io.actord.daemon.state.CloseableIterator;
import io.actord.daemon.state.Entry;
import io.actord.daemon.state.Scan;
import io.actord.daemon.state.StateLockTimeoutException;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.Table;
import io.actord.daemon.state.TableDef;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;

/**
 * What the three kinds of storage share: their metadata, the names that make a storage "named" (unique per
 * kind and owner, kept forever), resolving an id or name from a URL, and the per-storage lock their changes
 * take. Creating, renaming and deleting a storage are synced writes; the data inside is not (see the stores).
 *
 * <p>Every change to a storage happens under its lock ({@link StateStore#locked}, which on PostgreSQL holds across
 * daemons), so the lock holder keeps the metadata it committed in memory ({@link #byId} reads it, {@link #remember}
 * updates it after the write); code outside the lock only reads that cache and never fills it, so a storage deleted
 * meanwhile cannot come back. On a {@link StateStore#shared} store there is no cache: another daemon may have
 * changed the storage since, so every read is from the store.
 */
public final class StorageRegistry {
    /** Apify storage names: DNS-safe ({@code @apify/consts} DNS_SAFE_NAME_REGEX), at most 63 characters. */
    private static final Pattern NAME = Pattern.compile("^([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$");
    private static final int MAX_NAME = 63;

    private final StateStore store;
    private final Table<StorageNameKey, String> names;
    private final Map<StorageKind, Table<String, StorageMeta>> metas = new EnumMap<>(StorageKind.class);
    private final Map<StorageKind, Map<String, StorageMeta>> committed = new EnumMap<>(StorageKind.class);
    private final Clock clock;
    private final Access access;
    private final StorageUsage usage;

    /**
     * @param access     who may use a storage: its owner, and for a run's storage whoever the run is shared with
     * @param limitBytes a user's storage limit in bytes
     */
    public StorageRegistry(StateStore store, Clock clock, Access access, ToLongFunction<String> limitBytes) {
        this.store = store;
        this.clock = clock;
        this.access = access;
        this.usage = new StorageUsage(store, limitBytes);
        this.names = store.table(StorageTables.STORAGE_NAMES);
        for (StorageKind kind : StorageKind.values()) {
            metas.put(kind, store.table(kind.table()));
            committed.put(kind, new ConcurrentHashMap<>());
        }
    }

    /** A storage and whether this call created it (201) or found it (200). */
    public record Opened(StorageMeta meta, boolean created) {
    }

    /** The caller's storage named {@code name}, created if missing; a new unnamed storage when {@code name} is empty. */
    public Opened getOrCreate(StorageKind kind, Caller caller, Optional<String> name) {
        if (name.isEmpty()) {
            StorageMeta meta = StorageMeta.created(Ids.newId(), null, caller.userId(), clock.instant());
            store.write(b -> metas.get(kind).putInBatch(b, meta.id(), meta));
            remember(kind, meta);
            return new Opened(meta, true);
        }
        String n = validName(name.get());
        StorageNameKey nameKey = new StorageNameKey(kind, caller.userId(), n);
        return withLock(kind.path() + "/" + caller.userId() + "/" + n, () -> {
            Optional<StorageMeta> existing = names.get(nameKey).flatMap(id -> metas.get(kind).get(id));
            if (existing.isPresent()) {
                return new Opened(existing.get(), false);
            }
            StorageMeta meta = StorageMeta.created(Ids.newId(), n, caller.userId(), clock.instant());
            store.write(b -> {
                metas.get(kind).putInBatch(b, meta.id(), meta);
                names.putInBatch(b, nameKey, meta.id());
            });
            remember(kind, meta);
            return new Opened(meta, true);
        });
    }

    /**
     * The storage a URL names: an id, {@code ~name} or {@code username~name} (the caller's own), or a bare
     * name of the caller's (the SDK tries {@code GET /key-value-stores/<name>} before getOrCreate).
     */
    public Optional<StorageMeta> find(StorageKind kind, Caller caller, String ref) {
        int tilde = ref.indexOf('~');
        if (tilde >= 0) {
            String username = ref.substring(0, tilde);
            if (!username.isEmpty() && !username.equals(caller.username())) {
                return Optional.empty();
            }
            return byName(kind, caller.userId(), ref.substring(tilde + 1));
        }
        Optional<StorageMeta> byId = peek(kind, ref);
        return byId.isPresent() ? byId : byName(kind, caller.userId(), ref);
    }

    /** As {@link #find}, for a caller who may read it; else 404 record-not-found (see {@link Access}). */
    public StorageMeta get(StorageKind kind, Caller caller, String ref) {
        return checked(kind, caller, ref, Need.READ);
    }

    /** As {@link #get}, for a caller who may change its content; 403 insufficient-permissions for a reader. */
    public StorageMeta writable(StorageKind kind, Caller caller, String ref) {
        return checked(kind, caller, ref, Need.WRITE);
    }

    private StorageMeta checked(StorageKind kind, Caller caller, String ref, Need need) {
        StorageMeta meta = find(kind, caller, ref).orElseThrow(() -> ApiException.notFound(kind.title(), ref));
        access.check(caller, new Access.Resource(kind.title(), meta.id(), meta.userId(), meta.actRunId()), need);
        return meta;
    }

    /**
     * The storage by id (no names) as last committed, for a change that holds its lock ({@link #withLock});
     * 404 when it is gone.
     */
    public StorageMeta byId(StorageKind kind, String id) {
        StorageMeta cached = store.shared() ? null : committed.get(kind).get(id);
        if (cached != null) {
            return cached;
        }
        StorageMeta stored = metas.get(kind).get(id).orElseThrow(() -> ApiException.notFound(kind.title(), id));
        committed.get(kind).put(id, stored);
        return stored;
    }

    /**
     * After a change (under the storage's lock) committed {@code meta}: later reads see it without decoding. Not on a
     * {@link StateStore#shared} store, where another daemon may change it next: there every read costs one
     * primary-key lookup.
     */
    public void remember(StorageKind kind, StorageMeta meta) {
        if (!store.shared()) {
            committed.get(kind).put(meta.id(), meta);
        }
    }

    /** Renames a storage; {@code newName} empty makes it unnamed. 400 name-not-unique when the name is taken. */
    public StorageMeta rename(StorageKind kind, Caller caller, String ref, Optional<String> newName) {
        StorageMeta found = checked(kind, caller, ref, Need.MANAGE);
        Optional<String> n = newName.map(StorageRegistry::validName);
        return withLock(found.id(), () -> {
            StorageMeta meta = byId(kind, found.id());
            if (n.equals(Optional.ofNullable(meta.name()))) {
                return meta;
            }
            if (n.isPresent() && names.get(new StorageNameKey(kind, meta.userId(), n.get())).isPresent()) {
                throw new ApiException(ErrorType.NAME_NOT_UNIQUE, kind.title() + " name '" + n.get()
                        + "' is already used by another " + kind.title().toLowerCase(java.util.Locale.ROOT));
            }
            StorageMeta renamed = meta.withName(n.orElse(null), clock.instant());
            store.write(b -> {
                if (meta.name() != null) {
                    names.deleteInBatch(b, new StorageNameKey(kind, meta.userId(), meta.name()));
                }
                n.ifPresent(name -> names.putInBatch(b, new StorageNameKey(kind, meta.userId(), name), meta.id()));
                metas.get(kind).putInBatch(b, meta.id(), renamed);
            });
            remember(kind, renamed);
            return renamed;
        });
    }

    /**
     * Deletes a storage, its name and its content in one synced write (a range delete per content table),
     * under its lock so no write lands in between; then compacts the range to give the space back.
     */
    public StorageMeta delete(StorageKind kind, Caller caller, String ref) {
        StorageMeta found = checked(kind, caller, ref, Need.MANAGE);
        StorageMeta deleted = withLock(found.id(), () -> {
            StorageMeta meta = byId(kind, found.id());
            usage.deleting(Map.of(meta.id(), meta.userId()), b -> deleteInBatch(b, kind, meta));
            committed.get(kind).remove(meta.id());
            return meta;
        });
        compact(kind, deleted.id());
        return deleted;
    }

    /**
     * Deletes those of a run's default storages that are still unnamed (a storage renamed to a name is
     * kept, as named storages are), with their content, in one synced write together with what
     * {@code alsoInBatch} adds (the run itself). Holds all their locks meanwhile. Returns what it deleted;
     * {@link #compact} them afterwards.
     */
    public Map<StorageKind, String> purgeUnnamed(Map<StorageKind, String> ids, Consumer<Batch> alsoInBatch) {
        return withLocks(ids.values(), () -> {
            Map<StorageKind, StorageMeta> doomed = new EnumMap<>(StorageKind.class);
            ids.forEach((kind, id) -> metas.get(kind).get(id).filter(m -> m.name() == null)
                    .ifPresent(m -> doomed.put(kind, m)));
            Map<String, String> owners = new HashMap<>();
            doomed.values().forEach(m -> owners.put(m.id(), m.userId()));
            usage.deleting(owners, b -> {
                doomed.forEach((kind, meta) -> deleteInBatch(b, kind, meta));
                alsoInBatch.accept(b);
            });
            Map<StorageKind, String> deleted = new EnumMap<>(StorageKind.class);
            doomed.forEach((kind, meta) -> {
                committed.get(kind).remove(meta.id());
                deleted.put(kind, meta.id());
            });
            return deleted;
        });
    }

    /** Compacts a deleted storage's content ranges, so the files no longer hold it. */
    public void compact(StorageKind kind, String id) {
        kind.contents().forEach(t -> compact(t, id));
    }

    private <K extends StorageContentKey> void compact(TableDef<K, ?> content, String id) {
        store.table(content).compact(StorageContentKey.<K>ofStorage(id));
    }

    private void deleteInBatch(Batch b, StorageKind kind, StorageMeta meta) {
        metas.get(kind).deleteInBatch(b, meta.id());
        if (meta.name() != null) {
            names.deleteInBatch(b, new StorageNameKey(kind, meta.userId(), meta.name()));
        }
        kind.contents().forEach(t -> deleteInBatch(b, t, meta.id()));
    }

    private <K extends StorageContentKey> void deleteInBatch(Batch b, TableDef<K, ?> content, String id) {
        store.table(content).deletePrefixInBatch(b, StorageContentKey.<K>ofStorage(id));
    }

    /** The caller's storages of a kind, oldest first (or newest with {@code desc}); named only unless {@code unnamed}. */
    public Listing<StorageMeta> list(StorageKind kind, Caller caller, long offset, long limit, boolean desc,
                                     boolean unnamed) {
        List<StorageMeta> mine = new ArrayList<>();
        try (CloseableIterator<Entry<String, StorageMeta>> it = metas.get(kind).scan(Scan.all())) {
            while (it.hasNext()) {
                StorageMeta m = it.next().value();
                if (m.userId().equals(caller.userId()) && (unnamed || m.name() != null)) {
                    mine.add(m);
                }
            }
        }
        Comparator<StorageMeta> order = Comparator.comparing(StorageMeta::createdAt).thenComparing(StorageMeta::id);
        mine.sort(desc ? order.reversed() : order);
        int from = (int) Math.min(offset, mine.size());
        int to = (int) Math.min(mine.size(), from + limit);
        return new Listing<>(mine.size(), mine.subList(from, to));
    }

    /** Adds the storage's new metadata (its counts, modifiedAt) to a batch that changes its content. */
    public void putInBatch(Batch batch, StorageKind kind, StorageMeta meta) {
        metas.get(kind).putInBatch(batch, meta.id(), meta);
    }

    /** Runs {@code action} holding the lock of storage {@code id}: changes to one storage never interleave. */
    public <T> T withLock(String id, Supplier<T> action) {
        return withLocks(List.of(id), action);
    }

    /**
     * The state store's locks ({@link StateStore#locked}: across daemons on a shared store); a lock another daemon
     * keeps too long is 503 service-unavailable, so the client retries.
     */
    private <T> T withLocks(Collection<String> ids, Supplier<T> action) {
        try {
            return store.locked(ids, action);
        } catch (StateLockTimeoutException e) {
            throw new ApiException(ErrorType.SERVICE_UNAVAILABLE, "the storage is busy: " + e.getMessage()
                    + "; try again");
        }
    }

    public Instant now() {
        return clock.instant();
    }

    public StateStore store() {
        return store;
    }

    /** What each user's storages hold, and the limit their writes are charged against. */
    public StorageUsage usage() {
        return usage;
    }

    private Optional<StorageMeta> byName(StorageKind kind, String userId, String name) {
        if (name.isEmpty()) {
            return Optional.empty();
        }
        return names.get(new StorageNameKey(kind, userId, name)).flatMap(id -> peek(kind, id));
    }

    /** The committed metadata without the lock: from the cache when a change left it there, else stored. */
    private Optional<StorageMeta> peek(StorageKind kind, String id) {
        StorageMeta cached = store.shared() ? null : committed.get(kind).get(id);
        return cached != null ? Optional.of(cached) : metas.get(kind).get(id);
    }

    private static String validName(String name) {
        if (name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
            throw ApiException.invalidValue("storage name '" + name + "' is not valid: use 1 to " + MAX_NAME
                    + " letters, digits and hyphens, with no hyphen at either end");
        }
        return name;
    }
}
