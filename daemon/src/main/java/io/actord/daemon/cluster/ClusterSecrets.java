package io.actord.daemon.cluster;

import io.actord.daemon.common.StateDirectory;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The keys every host of a cluster must hold alike: what one host seals (a version's secret environment variable, a
 * secret input field encrypted when the gateway took the run's POST) is opened by whichever host runs the actor. A
 * key is made by the first host that starts without finding it in etcd, under {@value #PREFIX}, in one transaction
 * ("create if absent", as {@link ClusterToken}: no lock, no operator step), and every other host writes the cluster's
 * copy into its state directory before the daemon opens it: the daemon reads its keys from there as outside a
 * cluster. etcd rather than PostgreSQL: the sealed values are in PostgreSQL, and a key beside what it seals would
 * protect nothing against a copy of the database. The keys are not rotated: the values sealed under the old one
 * could no longer be opened.
 *
 * <p>A host whose state directory holds a key different from the cluster's (it sealed values alone before it
 * joined, or joined another cluster) is refused, and its key left as it is: those values would silently stop
 * opening. A key the host made in this very start, having lost the race to make the cluster's, is replaced.
 */
public final class ClusterSecrets {
    static final String PREFIX = "/actord/secrets/";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterSecrets.class);

    /**
     * One key: {@code files} (relative to the state directory {@code base}, each an etcd key under {@value #PREFIX}),
     * made together by {@code make} when there are none.
     */
    public record Secret(String name, Path base, List<Path> files, Runnable make) {
        public Secret {
            files = List.copyOf(files);
        }

        private String etcdKey(Path file) {
            return PREFIX + file.toString().replace('\\', '/');
        }
    }

    private final KV kv;
    private final Duration wait;

    private ClusterSecrets(KV kv, Duration wait) {
        this.kv = kv;
        this.wait = wait;
    }

    /**
     * Makes each of {@code secrets} the cluster's in this host's state directory (published, if the cluster has none
     * yet); each call to etcd may take up to {@code wait}.
     *
     * @throws IllegalStateException when this host holds a different key, naming it, or etcd did not answer
     */
    public static void share(ClusterMembership membership, List<Secret> secrets, Duration wait) {
        ClusterSecrets shared = new ClusterSecrets(membership.kv(), wait);
        secrets.forEach(shared::share);
    }

    static void share(KV kv, Secret secret, Duration wait) {
        new ClusterSecrets(kv, wait).share(secret);
    }

    private void share(Secret secret) {
        Optional<Map<Path, byte[]>> cluster = read(secret);
        boolean held = local(secret).isPresent();
        if (cluster.isPresent()) {
            settle(secret, cluster.get(), held);
            return;
        }
        if (!held) {
            secret.make().run();
        }
        Map<Path, byte[]> mine = local(secret).orElseThrow(() -> new IllegalStateException("the " + secret.name()
                + " key was not made in " + secret.base()));
        Cmp[] absent = secret.files().stream().map(f -> new Cmp(bytes(secret.etcdKey(f)), Cmp.Op.EQUAL,
                CmpTarget.version(0))).toArray(Cmp[]::new);
        Op[] put = secret.files().stream().map(f -> Op.put(bytes(secret.etcdKey(f)), ByteSequence.from(mine.get(f)),
                PutOption.DEFAULT)).toArray(Op[]::new);
        TxnResponse answer = call(kv.txn().If(absent).Then(put).Else(gets(secret)).commit(), "publish the " + secret.name()
                + " key");
        if (answer.isSucceeded()) {
            LOG.info("cluster secret published name={} key={}", secret.name(), PREFIX + secret.name());
            return;
        }
        settle(secret, complete(secret, found(secret, answer)), held);
    }

    /** Takes the cluster's key {@code cluster} unless this host {@code held} a different one before this start. */
    private void settle(Secret secret, Map<Path, byte[]> cluster, boolean held) {
        Optional<Map<Path, byte[]>> mine = local(secret);
        if (mine.isPresent() && same(mine.get(), cluster)) {
            LOG.info("cluster secret held name={}", secret.name());
            return;
        }
        if (held) {
            throw new IllegalStateException("the " + secret.name() + " key in " + secret.base() + " differs from the"
                    + " cluster's (etcd " + PREFIX + secret.name() + "): values this host sealed with it would no longer"
                    + " open. Move " + secret.files().stream().map(f -> secret.base().resolve(f).toString()).toList()
                    + " aside to take the cluster's, or start it in another cluster");
        }
        try {
            for (Path file : secret.files()) {
                writePrivate(secret.base().resolve(file), cluster.get(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("write the cluster's " + secret.name() + " key in " + secret.base(), e);
        }
        LOG.info("cluster secret taken name={}", secret.name());
    }

    /** The cluster's key, or none, read at one revision; part of one is an error (it is written in one transaction). */
    private Optional<Map<Path, byte[]>> read(Secret secret) {
        TxnResponse answer = call(kv.txn().Then(gets(secret)).commit(), "read the " + secret.name() + " key");
        Map<Path, byte[]> found = found(secret, answer);
        return found.isEmpty() ? Optional.empty() : Optional.of(complete(secret, found));
    }

    private static Op[] gets(Secret secret) {
        return secret.files().stream().map(f -> Op.get(bytes(secret.etcdKey(f)), GetOption.DEFAULT))
                .toArray(Op[]::new);
    }

    private static Map<Path, byte[]> found(Secret secret, TxnResponse answer) {
        Map<Path, byte[]> found = new LinkedHashMap<>();
        for (int i = 0; i < secret.files().size(); i++) {
            List<KeyValue> kvs = answer.getGetResponses().get(i).getKvs();
            if (!kvs.isEmpty()) {
                found.put(secret.files().get(i), kvs.get(0).getValue().getBytes());
            }
        }
        return found;
    }

    private static Map<Path, byte[]> complete(Secret secret, Map<Path, byte[]> found) {
        if (found.size() != secret.files().size()) {
            throw new IllegalStateException("etcd holds only part of the cluster's " + secret.name() + " key ("
                    + found.keySet().stream().map(secret::etcdKey).toList() + " of " + secret.files().stream()
                    .map(secret::etcdKey).toList() + "): restore the rest, or delete them all to make a new key");
        }
        return found;
    }

    /** This host's key: all its files, or none (part of one, left by a crash while writing it, is none). */
    private static Optional<Map<Path, byte[]>> local(Secret secret) {
        Map<Path, byte[]> files = new LinkedHashMap<>();
        try {
            for (Path file : secret.files()) {
                Path path = secret.base().resolve(file);
                if (!Files.isRegularFile(path)) {
                    return Optional.empty();
                }
                files.put(file, Files.readAllBytes(path));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("read the " + secret.name() + " key in " + secret.base(), e);
        }
        return Optional.of(files);
    }

    private static boolean same(Map<Path, byte[]> a, Map<Path, byte[]> b) {
        return a.keySet().equals(b.keySet()) && a.keySet().stream().allMatch(f -> Arrays.equals(a.get(f), b.get(f)));
    }

    /** Writes {@code content} to {@code file} at once (0600, in a private directory), replacing what was there. */
    private static void writePrivate(Path file, byte[] content) throws IOException {
        StateDirectory.createPrivate(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".new",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(tmp, content);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private <T> T call(CompletableFuture<T> future, String what) {
        try {
            return future.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " in etcd: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new IllegalStateException(what + " in etcd: no answer within " + wait.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " in etcd: interrupted", e);
        }
    }

    private static ByteSequence bytes(String key) {
        return ByteSequence.from(key, StandardCharsets.UTF_8);
    }
}
