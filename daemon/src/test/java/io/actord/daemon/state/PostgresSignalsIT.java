package io.actord.daemon.state;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link StoreSignals} on PostgreSQL ({@link PostgresSignals}): two stores on one database stand for two daemons. A
 * signal is heard only once its batch has committed (the listener reads the row it announces) and not at all when
 * the batch fails; after the server restarts the listener is told it missed signals and hears the next ones. The
 * server is this test's own ({@link PostgresServer#startOwn}), as it is stopped and started.
 */
class PostgresSignalsIT {
    private static final String CHANNEL = "test_ended";
    /** A bound on waits that end in milliseconds when all is well, so a broken build fails instead of hanging. */
    private static final long HANG_SECS = 60;
    private static final TableDef<String, String> NAMES = new TableDef<>("names", Codecs.STRING, Codecs.STRING);
    private static PostgresServer server;

    @BeforeAll
    static void startServer() {
        try {
            server = PostgresServer.startOwn();
        } catch (IOException e) {
            System.out.println("SKIPPED PostgresSignalsIT: " + e.getMessage());
            Assumptions.abort(e.getMessage());
        }
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /**
     * What a listener heard: payloads (with the row each announces as the listener read it then, when it is given the
     * table to read), and "missed".
     */
    private static final class Heard implements StoreSignals.Listener {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        private final Optional<Table<String, String>> names;

        Heard(Optional<Table<String, String>> names) {
            this.names = names;
        }

        @Override
        public void heard(String payload) {
            events.add(payload + names.map(t -> "=" + t.get(payload).orElse("(not stored)")).orElse(""));
        }

        @Override
        public void missed() {
            events.add("missed");
        }

        String next() throws InterruptedException {
            String event = events.poll(HANG_SECS, TimeUnit.SECONDS);
            assertTrue(event != null, "nothing heard within " + HANG_SECS + " s");
            return event;
        }
    }

    private static PostgresStateStore open(String uri) {
        return PostgresStateStore.open(PostgresLocation.parse(uri), List.of(NAMES));
    }

    @Test
    void shouldSignalAnotherStoreOnlyOnceTheBatchHasCommitted() throws Exception {
        String uri = server.createDatabase("signals");
        try (PostgresStateStore writer = open(uri); PostgresStateStore reader = open(uri)) {
            Heard heard = new Heard(Optional.of(reader.table(NAMES)));
            reader.signals().listen(CHANNEL, heard);
            assertEquals("missed", heard.next(), "listening from now: told to read what it waits for once");
            Table<String, String> names = writer.table(NAMES);

            writer.write(b -> {
                names.putInBatch(b, "run1", "SUCCEEDED");
                b.signal(CHANNEL, "run1");
            });
            assertEquals("run1=SUCCEEDED", heard.next(), "the row is committed before the signal arrives");

            byte[] hugeKey = new byte[64 * 1024];
            new Random(7).nextBytes(hugeKey);
            Table<byte[], String> raw = writer.table(new TableDef<>("names", Codecs.BYTES, Codecs.STRING));
            assertThrows(StoreException.class, () -> writer.write(b -> {
                b.signal(CHANNEL, "failed");
                raw.putInBatch(b, hugeKey, "refused by the index");
            }));
            writer.write(b -> b.signal(CHANNEL, "run2"));
            assertEquals("run2=(not stored)", heard.next(), "a rolled-back batch signals nothing");
            assertThrows(IllegalArgumentException.class, () -> writer.write(b -> b.signal("Bad-Channel", "x")));
        }
        assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName()
                .equals("actord-state-signals")), "closing the stores ends their listening threads");
    }

    @Test
    void shouldListenAgainAfterTheServerRestartsAndSayWhatWasMissed() throws Exception {
        String uri = server.createDatabase("restart");
        try (PostgresStateStore writer = open(uri); PostgresStateStore reader = open(uri)) {
            // the reader's pooled connections die with the server too: this listener only notes what it hears
            Heard heard = new Heard(Optional.empty());
            reader.signals().listen(CHANNEL, heard);
            assertEquals("missed", heard.next());
            writer.write(b -> b.signal(CHANNEL, "before"));
            assertEquals("before", heard.next());

            server.kill();
            server.restart();

            assertEquals("missed", heard.next(), "listening again: told that signals may have been lost meanwhile");
            // the writer's pooled connections died with the server: written as the daemon writes a run's end
            UntilAvailable.write("after", () -> writer.write(b -> {
                writer.table(NAMES).putInBatch(b, "after", "2");
                b.signal(CHANNEL, "after");
            }));
            assertEquals("after", heard.next(), "hears the signals after the restart");
            assertTrue(heard.events.isEmpty(), heard.events.toString());
        }
    }
}
