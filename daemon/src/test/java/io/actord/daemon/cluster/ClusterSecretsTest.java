package io.actord.daemon.cluster;

import io.actord.daemon.input.InputSecretKeys;
import io.actord.daemon.version.SecretBox;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.options.DeleteOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The keys a cluster's hosts share, against a real etcd ({@link EtcdServer}): made by the first host, taken by the
 * others into their state directories, kept across a restart, and refused to a host that held another one.
 */
class ClusterSecretsTest {
    private static final Duration CALL = Duration.ofSeconds(10);

    @RegisterExtension
    static final EtcdServer.Fixture ETCD = new EtcdServer.Fixture();

    @TempDir
    Path dir;
    private Client etcd;
    private KV kv;

    @BeforeEach
    void connect() {
        Assumptions.assumeTrue(EtcdServer.missing() == null, EtcdServer.missing());
        etcd = Client.builder().endpoints(ETCD.server().endpoints()).build();
        kv = etcd.getKVClient();
    }

    @AfterEach
    void disconnect() throws Exception {
        if (etcd != null) {
            ByteSequence prefix = ByteSequence.from(ClusterSecrets.PREFIX, StandardCharsets.UTF_8);
            kv.delete(prefix, DeleteOption.builder().isPrefix(true).build()).get(CALL.toSeconds(), TimeUnit.SECONDS);
            etcd.close();
        }
    }

    /** A one-file key in {@code host}'s directory, made with random bytes; counts its makings. */
    private static ClusterSecrets.Secret key(Path host, AtomicInteger made) {
        return new ClusterSecrets.Secret("secrets.key", host, List.of(Path.of("secrets.key")), () -> {
            made.incrementAndGet();
            SecretBox.open(host.resolve("secrets.key"));
        });
    }

    private static ClusterSecrets.Secret inputKeys(Path host) {
        Path keys = host.resolve("input-secrets");
        return new ClusterSecrets.Secret("input-secrets", host, InputSecretKeys.files().stream()
                .map(f -> Path.of("input-secrets").resolve(f)).toList(), () -> InputSecretKeys.open(keys).make());
    }

    @Test
    void shouldMakeTheKeysOnceAndGiveThemToEveryOtherHost() throws Exception {
        Path one = dir.resolve("one");
        Path two = dir.resolve("two");
        AtomicInteger madeOne = new AtomicInteger();
        AtomicInteger madeTwo = new AtomicInteger();
        ClusterSecrets.share(kv, key(one, madeOne), CALL);
        ClusterSecrets.share(kv, inputKeys(one), CALL);
        ClusterSecrets.share(kv, key(two, madeTwo), CALL);
        ClusterSecrets.share(kv, inputKeys(two), CALL);

        assertEquals(1, madeOne.get());
        assertEquals(0, madeTwo.get(), "the second host takes the cluster's key rather than making one");
        byte[] first = Files.readAllBytes(one.resolve("secrets.key"));
        assertArrayEquals(first, Files.readAllBytes(two.resolve("secrets.key")));
        assertArrayEquals(first, stored("secrets.key"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(two.resolve(
                "secrets.key"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(two)));
        String sealed = SecretBox.open(one.resolve("secrets.key")).seal("hunter2");
        assertEquals("hunter2", SecretBox.open(two.resolve("secrets.key")).open(sealed), "sealed on one, opened on two");
        assertEquals(InputSecretKeys.open(one.resolve("input-secrets")).publicKey(),
                InputSecretKeys.open(two.resolve("input-secrets")).publicKey());
        for (Path f : InputSecretKeys.files()) {
            assertArrayEquals(Files.readAllBytes(one.resolve("input-secrets").resolve(f)),
                    Files.readAllBytes(two.resolve("input-secrets").resolve(f)), f.toString());
        }
    }

    @Test
    void shouldKeepTheKeyOfARestartedHost() throws Exception {
        Path one = dir.resolve("one");
        ClusterSecrets.share(kv, key(one, new AtomicInteger()), CALL);
        byte[] before = Files.readAllBytes(one.resolve("secrets.key"));
        AtomicInteger again = new AtomicInteger();
        ClusterSecrets.share(kv, key(one, again), CALL);
        assertEquals(0, again.get());
        assertArrayEquals(before, Files.readAllBytes(one.resolve("secrets.key")));
    }

    @Test
    void shouldRefuseAHostThatHeldAnotherKeyAndLeaveItsKey() throws Exception {
        ClusterSecrets.share(kv, key(dir.resolve("one"), new AtomicInteger()), CALL);
        Path alone = dir.resolve("alone");
        SecretBox.open(alone.resolve("secrets.key"));
        byte[] own = Files.readAllBytes(alone.resolve("secrets.key"));

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> ClusterSecrets.share(kv, key(alone, new AtomicInteger()), CALL));
        assertTrue(refused.getMessage().contains("differs from the cluster's"), refused.getMessage());
        assertTrue(refused.getMessage().contains(alone.resolve("secrets.key").toString()), refused.getMessage());
        assertArrayEquals(own, Files.readAllBytes(alone.resolve("secrets.key")), "its key is left as it was");
    }

    @Test
    void shouldPublishTheKeyOfAHostThatHeldOneBeforeTheClusterHadAny() throws Exception {
        Path first = dir.resolve("first");
        SecretBox.open(first.resolve("secrets.key"));
        byte[] own = Files.readAllBytes(first.resolve("secrets.key"));
        AtomicInteger made = new AtomicInteger();
        ClusterSecrets.share(kv, key(first, made), CALL);
        assertEquals(0, made.get());
        assertArrayEquals(own, stored("secrets.key"), "what it sealed alone still opens on the cluster's hosts");
    }

    @Test
    void shouldTakeTheClusterKeyWhenAnotherHostMadeOneMeanwhile() throws Exception {
        int hosts = 6;
        ExecutorService starts = Executors.newFixedThreadPool(hosts);
        try {
            List<Future<byte[]>> keys = new ArrayList<>();
            for (int i = 0; i < hosts; i++) {
                Path host = dir.resolve("host" + i);
                Callable<byte[]> start = () -> {
                    ClusterSecrets.share(kv, key(host, new AtomicInteger()), CALL);
                    return Files.readAllBytes(host.resolve("secrets.key"));
                };
                keys.add(starts.submit(start));
            }
            List<byte[]> held = new ArrayList<>();
            for (Future<byte[]> key : keys) {
                held.add(key.get(60, TimeUnit.SECONDS));
            }
            byte[] cluster = stored("secrets.key");
            held.forEach(key -> assertArrayEquals(cluster, key, "every host ends with the cluster's key"));
        } finally {
            starts.shutdownNow();
        }
    }

    @Test
    void shouldReplaceTheKeyItJustMadeWhenAnotherHostPublishedFirst() throws Exception {
        byte[] theirs = new byte[32];
        theirs[0] = 7;
        Path late = dir.resolve("late");
        ClusterSecrets.share(kv, new ClusterSecrets.Secret("secrets.key", late, List.of(Path.of("secrets.key")), () -> {
            try {
                kv.put(ByteSequence.from(ClusterSecrets.PREFIX + "secrets.key", StandardCharsets.UTF_8),
                        ByteSequence.from(theirs)).get(CALL.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            SecretBox.open(late.resolve("secrets.key"));
        }), CALL);
        assertArrayEquals(theirs, Files.readAllBytes(late.resolve("secrets.key")));
        assertEquals(List.of("secrets.key"), listing(late), "no temporary file left");
    }

    @Test
    void shouldRefuseWhenEtcdHoldsPartOfAKey() throws Exception {
        kv.put(ByteSequence.from(ClusterSecrets.PREFIX + "input-secrets/passphrase", StandardCharsets.UTF_8),
                ByteSequence.from("only this", StandardCharsets.UTF_8)).get(CALL.toSeconds(), TimeUnit.SECONDS);
        Path host = dir.resolve("host");
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> ClusterSecrets.share(kv, inputKeys(host), CALL));
        assertTrue(refused.getMessage().contains("only part"), refused.getMessage());
        assertFalse(Files.exists(host.resolve("input-secrets")), "nothing made or written");
    }

    private static List<String> listing(Path d) throws Exception {
        try (var files = Files.list(d)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private byte[] stored(String name) throws Exception {
        return kv.get(ByteSequence.from(ClusterSecrets.PREFIX + name, StandardCharsets.UTF_8))
                .get(CALL.toSeconds(), TimeUnit.SECONDS).getKvs().get(0).getValue().getBytes();
    }
}
