package io.actord.daemon.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.actord.daemon.common.Json;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One host id, one daemon (#26 hardening): two daemons with one host id (a copied state directory, {@code --host-id}
 * given twice) would each recover and fence the other's runs. A daemon holds {@code /actord/host-ids/<hostId>} under
 * its lease for its whole life, written in one transaction with "only if absent", together with its host record on
 * every lease after the first; another daemon with the id finds it held. The value says who holds it (this process:
 * machine, pid, start), so a daemon that lost its lease and joins again with a new one recognises its own claim and
 * takes it over, by a compare of the value, from the lease it could not revoke.
 */
final class HostIdClaim {
    /** The key prefix of the claims. */
    static final String PREFIX = "/actord/host-ids/";

    /** Who holds a host id: written as the claim's value (JSON). */
    record Holder(String machine, long pid, Instant since) {
    }

    private final KV kv;
    private final String hostId;
    private final ByteSequence key;
    private final ByteSequence recordKey;
    private final ByteSequence mine;
    private final Duration callTimeout;
    // Confined to the membership's thread: whether another daemon held the id at the last try, and since when.
    private boolean held;
    private long heldSinceNanos;

    HostIdClaim(KV kv, String hostId, Instant since, Duration callTimeout) {
        this.kv = kv;
        this.hostId = hostId;
        this.key = ByteSequence.from(PREFIX + hostId, StandardCharsets.UTF_8);
        this.recordKey = ByteSequence.from(ClusterMembership.HOSTS + hostId, StandardCharsets.UTF_8);
        this.mine = ByteSequence.from(json(new Holder(machine(), ProcessHandle.current().pid(), since)));
        this.callTimeout = callTimeout;
    }

    /**
     * Claims the host id under {@code lease} and, in the same transaction, does {@code alsoPut} (the host record).
     * Completes with empty when this daemon holds it, else with the words that say who does (for a refusal).
     */
    CompletableFuture<Optional<String>> take(long lease, List<Op> alsoPut) {
        List<Op> then = new ArrayList<>();
        then.add(Op.put(key, mine, PutOption.builder().withLeaseId(lease).build()));
        then.addAll(alsoPut);
        Op[] puts = then.toArray(Op[]::new);
        return kv.txn().If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0))).Then(puts)
                .Else(Op.get(key, GetOption.DEFAULT), Op.get(recordKey, GetOption.DEFAULT)).commit()
                .orTimeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenCompose(answer -> answer.isSucceeded() ? CompletableFuture.completedFuture(Optional.empty())
                        : takeOver(answer, puts));
    }

    /** The claim is held: by this process, from an earlier lease (taken over), or by another daemon (named). */
    private CompletableFuture<Optional<String>> takeOver(TxnResponse held, Op[] puts) {
        List<KeyValue> claim = held.getGetResponses().get(0).getKvs();
        String holder = describe(claim, held.getGetResponses().get(1).getKvs());
        if (claim.isEmpty() || !claim.get(0).getValue().equals(mine)) {
            return CompletableFuture.completedFuture(Optional.of(holder));
        }
        return kv.txn().If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.value(mine))).Then(puts).commit()
                .orTimeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(answer -> answer.isSucceeded() ? Optional.empty() : Optional.of(holder));
    }

    /** The id was this daemon's at the last try. */
    void taken() {
        held = false;
    }

    /**
     * The last try found the id held by another daemon: whether it has been since more than {@code patience} ago
     * (counted from the first such try after the id was last this daemon's).
     */
    boolean heldLongerThan(Duration patience) {
        long now = System.nanoTime();
        if (!held) {
            held = true;
            heldSinceNanos = now;
        }
        return now - heldSinceNanos > patience.toNanos();
    }

    /** The refusal's words: the id, and the other daemon's API URL (its host record's) and process. */
    String refusal(String holder) {
        return "host id '" + hostId + "' is held by another actord daemon (" + holder + "): two daemons with one host"
                + " id would each take the other's runs; give this daemon its own --host-id, and its own state"
                + " directory rather than a copy (" + PREFIX + hostId + " in etcd lapses with that daemon's lease)";
    }

    private String describe(List<KeyValue> claim, List<KeyValue> record) {
        String api = record.isEmpty() ? "API URL not yet published: it is starting"
                : "API " + parseRecord(record.get(0)).map(HostRecord::apiUrl).orElse("unknown");
        if (claim.isEmpty()) {
            return api;
        }
        try {
            Holder h = Json.MAPPER.readValue(claim.get(0).getValue().getBytes(), Holder.class);
            return api + ", on " + h.machine() + " as pid " + h.pid() + " since " + h.since();
        } catch (IOException e) {
            return api + ", claim " + claim.get(0).getValue().toString(StandardCharsets.UTF_8);
        }
    }

    private static Optional<HostRecord> parseRecord(KeyValue kv) {
        try {
            return Optional.of(HostRecord.fromJson(kv.getValue().getBytes()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The machine's host name (the kernel's: no DNS lookup, which may hang at boot). */
    static String machine() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "an unnamed machine";
        }
    }

    private static byte[] json(Holder holder) {
        try {
            return Json.MAPPER.writeValueAsBytes(holder);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("write host id claim: " + e.getMessage(), e);
        }
    }
}
