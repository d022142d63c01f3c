package io.actord.daemon.image;

import io.actord.daemon.ActorDaemon;
import io.actord.daemon.state.RocksStateStore;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.testing.FuzzSeed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of mutated layer archives ({@link ArchiveMutator}), and now and then a gzip bomb, straight into
 * the {@link TarReader} and the {@link LayerStore} (without privileges: {@link RecordingLayerFiles}). Each must
 * be unpacked or refused with an {@link ImageException} (no other exception, no OutOfMemoryError at the fuzz
 * execution's -Xmx256m) within {@link #DEADLINE_SECONDS}; nothing may be written outside the store's
 * directories, and a refused layer leaves nothing in its temporary area. The seed is printed; a failure names
 * the case and how to replay it.
 */
@Tag("fuzz")
class LayerFuzzTest {
    private static final int CASES = 2000;
    private static final long DEADLINE_SECONDS = 30;
    /** Small enough that bombs and member floods hit them quickly. */
    private static final ImportLimits LIMITS = new ImportLimits(64L << 20, 5_000, 8L << 20);

    @TempDir
    Path dir;

    private StateStore state;
    private LayerStore store;
    private Path outside;

    @BeforeEach
    void open() throws IOException {
        state = RocksStateStore.open(dir.resolve("rocksdb"), ActorDaemon.TABLES);
        store = LayerStore.open(dir.resolve("layers"), state, new RecordingLayerFiles(),
                new Compression(dir.resolve("native")), Clock.systemUTC());
        outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("canary"), "canary");
        // What a directory member d/fN of a layer whose d became a link to ../../../outside would reach
        for (int i = 0; i < 20; i++) {
            Files.createDirectory(outside.resolve("f" + i), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Files.setLastModifiedTime(outside.resolve("f" + i), FileTime.fromMillis(1_000_000_000_000L));
        }
    }

    @AfterEach
    void close() {
        state.close();
    }

    @Test
    void shouldUnpackOrRefuseEveryMutatedLayerCleanly() throws Exception {
        FuzzSeed seed = FuzzSeed.start("LayerFuzzTest", CASES);
        ArchiveMutator mutator = new ArchiveMutator(true);
        byte[] bomb = ArchiveMutator.gzipBomb(256);
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        Map<Path, String> before = snapshot();
        ExecutorService worker = Executors.newSingleThreadExecutor();
        int ran = 0;
        try {
            for (int i : seed.indices().toArray()) {
                Random r = seed.random(i);
                ArchiveMutator.Archive archive = r.nextInt(100) == 0 ? new ArchiveMutator.Archive(bomb, "gzip bomb")
                        : mutator.next(r);
                Future<String> result = worker.submit(() -> unpack(archive.bytes()));
                String outcome;
                try {
                    outcome = result.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    failures.add(seed.replay(i) + ": " + archive.how() + " -> hang: not done in " + DEADLINE_SECONDS
                            + " s");
                    break; // the worker is stuck: nothing after this case would be meaningful
                }
                ran++;
                outcomes.merge(outcome.startsWith("FAILED") ? "FAILED" : outcome, 1, Integer::sum);
                if (outcome.startsWith("FAILED")) {
                    failures.add(seed.replay(i) + ": " + archive.how() + " -> " + outcome);
                }
                String leftOver = leftOver(before);
                if (leftOver != null) {
                    failures.add(seed.replay(i) + ": " + archive.how() + " -> " + leftOver);
                    before = snapshot();
                }
            }
        } finally {
            worker.shutdownNow();
        }
        seed.report(ran, failures.size());
        System.out.println("fuzz LayerFuzzTest: outcomes " + outcomes);
        assertEquals("canary", Files.readString(outside.resolve("canary")));
        assertTrue(failures.isEmpty(), failures.size() + " of " + ran + " archives failed (seed " + seed.seed()
                + "):\n" + String.join("\n", failures.subList(0, Math.min(25, failures.size()))));
        assertTrue(outcomes.getOrDefault("unpacked", 0) > 0 && outcomes.getOrDefault("refused", 0) > 0,
                "the mutations both keep some layers valid and break others: " + outcomes);
    }

    /**
     * Walks the archive with the reader (when it is a plain tar), then unpacks it into the store: "unpacked",
     * "refused" (an ImageException) or "FAILED: ..." for anything else.
     */
    private String unpack(byte[] archive) {
        try {
            if (archive.length > 0 && archive[0] != 0x1f && archive[0] != 0x28) { // not gzip, not zstd
                walk(archive);
            }
            Digest d;
            try (LayerStore.Pin pin = store.pin()) {
                d = store.unpack(new ByteArrayInputStream(archive), "layer", Optional.empty(), Optional.empty(),
                        new ImportBudget(LIMITS), pin);
            }
            store.collect(List.of(d));
            return "unpacked";
        } catch (ImageException e) {
            return "refused";
        } catch (Throwable e) { // OutOfMemoryError and StackOverflowError too: each is a defect here
            StringBuilder s = new StringBuilder("FAILED: " + e);
            for (StackTraceElement frame : e.getStackTrace()) {
                if (frame.getClassName().startsWith("io.actord")) {
                    s.append(" at ").append(frame);
                    break;
                }
            }
            return s.toString();
        }
    }

    private static void walk(byte[] archive) throws IOException {
        TarReader reader = new TarReader(new ByteArrayInputStream(archive), "walk");
        try {
            for (Optional<TarEntry> e = reader.next(); e.isPresent(); e = reader.next()) {
                try (InputStream content = reader.content()) {
                    content.transferTo(OutputStream.nullOutputStream());
                }
            }
        } catch (ImageException expected) {
            // the unpack that follows must refuse it the same way
        }
    }

    /**
     * Every file outside the store's layers, with its size, mode and time (the state store's files and the native libraries
     * unpacked on first use change by design; they are skipped).
     */
    private Map<Path, String> snapshot() throws IOException {
        Map<Path, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(p -> !p.startsWith(dir.resolve("rocksdb")) && !p.startsWith(dir.resolve("native"))
                    && !p.startsWith(dir.resolve("layers").resolve(Digest.ALGORITHM))).toList()) {
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                files.put(dir.relativize(p), a.size() + " " + PosixFilePermissions.toString(a.permissions())
                        + (p.startsWith(outside) ? " " + a.lastModifiedTime() : "")); // the store's own dirs change
            }
        }
        return files;
    }

    /** What the case left where nothing may be: a change outside the layers, a layer being unpacked. */
    private String leftOver(Map<Path, String> before) throws IOException {
        Map<Path, String> after = snapshot();
        if (!after.equals(before)) {
            List<String> diff = new ArrayList<>();
            after.forEach((p, size) -> {
                if (!size.equals(before.get(p))) {
                    diff.add("+" + p);
                }
            });
            before.keySet().stream().filter(p -> !after.containsKey(p)).forEach(p -> diff.add("-" + p));
            return "files changed outside the layer store: " + diff;
        }
        try (Stream<Path> tmp = Files.list(store.tmp())) {
            List<Path> left = tmp.toList();
            return left.isEmpty() ? null : "left in the store's tmp: " + left;
        }
    }
}
