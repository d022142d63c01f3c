package io.actord.daemon.cluster;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The live member set: every host record under {@link ClusterMembership#HOSTS}, read once and then followed by an
 * etcd watch from the revision of that read, so a host that joins, updates or whose lease expires is known by push.
 * jetcd resumes a broken watch by itself from its last revision; when it gives up (the revision was compacted, the
 * watch was cancelled) the set is read again and a new watch starts from there. All changes happen on the
 * membership's thread; readers get an immutable snapshot.
 */
final class HostMembers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostMembers.class);
    private static final ByteSequence PREFIX = ByteSequence.from(ClusterMembership.HOSTS, StandardCharsets.UTF_8);

    private final Client etcd;
    private final ScheduledExecutorService thread;
    private final Duration callTimeout;
    private final Duration retry;
    private final List<Consumer<List<HostRecord>>> listeners = new CopyOnWriteArrayList<>();
    /** Written on the membership's thread only. */
    private volatile Map<String, HostRecord> members = Map.of();
    // Confined to the membership's thread:
    private Watch.Watcher watcher;
    private int generation;
    private boolean closed;

    HostMembers(Client etcd, ScheduledExecutorService thread, Duration callTimeout, Duration retry) {
        this.etcd = etcd;
        this.thread = thread;
        this.callTimeout = callTimeout;
        this.retry = retry;
    }

    /** Reads the set and starts following it. */
    void start() {
        thread.execute(() -> sync(generation));
    }

    /** The hosts with a live record, by host id. */
    List<HostRecord> list() {
        return List.copyOf(members.values());
    }

    /** {@code listener} gets the whole set after each change, on the membership's thread. */
    void onChange(Consumer<List<HostRecord>> listener) {
        listeners.add(listener);
    }

    private void sync(int gen) {
        if (gen != generation || closed) {
            return;
        }
        etcd.getKVClient().get(PREFIX, GetOption.builder().isPrefix(true).build())
                .orTimeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((read, error) -> synced(gen, read, error), thread);
    }

    private void synced(int gen, GetResponse read, Throwable error) {
        if (gen != generation || closed) {
            return;
        }
        if (error != null) {
            LOG.warn("cluster hosts not read, again in {} ms: {}", retry.toMillis(), error.toString());
            thread.schedule(() -> sync(gen), retry.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        Map<String, HostRecord> next = new TreeMap<>();
        for (KeyValue kv : read.getKvs()) {
            put(next, kv);
        }
        publish(next);
        WatchOption from = WatchOption.builder().isPrefix(true).withRevision(read.getHeader().getRevision() + 1)
                .build();
        watcher = etcd.getWatchClient().watch(PREFIX, from, Watch.listener(
                events -> thread.execute(() -> changed(gen, events)),
                failure -> thread.execute(() -> resync(gen, failure.toString())),
                () -> thread.execute(() -> resync(gen, "the watch ended"))));
    }

    private void changed(int gen, WatchResponse response) {
        if (gen != generation || closed) {
            return;
        }
        Map<String, HostRecord> next = new TreeMap<>(members);
        for (WatchEvent event : response.getEvents()) {
            if (event.getEventType() == WatchEvent.EventType.PUT) {
                put(next, event.getKeyValue());
            } else if (event.getEventType() == WatchEvent.EventType.DELETE) {
                next.remove(hostId(event.getKeyValue()));
            }
        }
        publish(next);
    }

    private void resync(int gen, String why) {
        if (gen != generation || closed) {
            return;
        }
        LOG.warn("cluster hosts watch lost ({}), reading the hosts again", why);
        closeWatcher();
        generation++;
        int next = generation;
        thread.schedule(() -> sync(next), retry.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void put(Map<String, HostRecord> into, KeyValue kv) {
        String id = hostId(kv);
        try {
            HostRecord record = HostRecord.fromJson(kv.getValue().getBytes());
            if (!record.hostId().equals(id)) {
                throw new IllegalArgumentException("its hostId is " + record.hostId());
            }
            into.put(id, record);
        } catch (IllegalArgumentException e) {
            LOG.warn("cluster host record {}{} left out: {}", ClusterMembership.HOSTS, id, e.getMessage());
            into.remove(id);
        }
    }

    private static String hostId(KeyValue kv) {
        return kv.getKey().toString(StandardCharsets.UTF_8).substring(ClusterMembership.HOSTS.length());
    }

    private void publish(Map<String, HostRecord> next) {
        Map<String, HostRecord> before = members;
        members = Collections.unmodifiableMap(next);
        if (!before.keySet().equals(next.keySet())) {
            LOG.info("cluster hosts={} count={}", next.keySet(), next.size());
        }
        List<HostRecord> snapshot = list();
        listeners.forEach(l -> l.accept(snapshot));
    }

    private void closeWatcher() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }

    /** Stops following; call on the membership's thread. */
    @Override
    public void close() {
        closed = true;
        closeWatcher();
    }
}
