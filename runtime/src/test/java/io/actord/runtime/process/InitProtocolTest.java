package io.actord.runtime.process;

import io.actord.runtime.ContainerException;
import io.actord.runtime.ExitStatus;
import io.actord.runtime.Signal;
import io.actord.runtime.TerminalSize;
import io.actord.runtime.security.SecurityProfile;
import io.actord.runtime.sys.FdPair;
import io.actord.runtime.sys.JnaLinux;
import io.actord.runtime.sys.Linux;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InitProtocolTest {
    private static final InitConfig CONFIG = new InitConfig(List.of("/bin/sh", "-c", "echo hi"),
            List.of("PATH=/bin", "A=b"), "/work", 1000, 100, List.of(5, 27), SecurityProfile.defaults());

    /** One decoded record: its tag and value. */
    private record Record(char tag, byte[] value) {
        String string() {
            assertEquals(0, value[value.length - 1], "strings travel NUL-terminated");
            return new String(value, 0, value.length - 1, StandardCharsets.UTF_8);
        }

        long number() {
            ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
            return value.length == 4 ? b.getInt() : b.getLong();
        }
    }

    /** The decoder actord-init.c implements, written again to check the encoder against it. */
    private static List<Record> decode(byte[] message) {
        ByteBuffer b = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[4];
        b.get(magic);
        assertEquals("ACI1", new String(magic, StandardCharsets.US_ASCII));
        assertEquals(message.length - 8, b.getInt(), "body length");
        List<Record> records = new ArrayList<>();
        while (b.hasRemaining()) {
            char tag = (char) b.get();
            byte[] value = new byte[b.getInt()];
            b.get(value);
            records.add(new Record(tag, value));
        }
        return records;
    }

    private static List<String> strings(List<Record> records, char tag) {
        return records.stream().filter(r -> r.tag() == tag).map(Record::string).toList();
    }

    private static List<Long> numbers(List<Record> records, char tag) {
        return records.stream().filter(r -> r.tag() == tag).map(Record::number).toList();
    }

    @Test
    void shouldEncodeEveryFieldAsOneLittleEndianRecord() {
        List<Record> records = decode(InitProtocol.encode(CONFIG));

        assertEquals(List.of("/bin/sh", "-c", "echo hi"), strings(records, 'A'));
        assertEquals(List.of("PATH=/bin", "A=b"), strings(records, 'E'));
        assertEquals(List.of("/work"), strings(records, 'W'));
        assertEquals(List.of(1000L), numbers(records, 'U'));
        assertEquals(List.of(100L), numbers(records, 'G'));
        assertEquals(List.of(5L, 27L), numbers(records, 'S'));
        assertEquals(List.of(0x880405fbL), numbers(records, 'C'));
        assertEquals(SecurityProfile.DEFAULT_MASKED_PATHS, strings(records, 'M'));
        assertEquals(SecurityProfile.DEFAULT_READ_ONLY_PATHS, strings(records, 'R'));
        Record filter = records.stream().filter(r -> r.tag() == 'F').findFirst().orElseThrow();
        assertArrayEquals(SecurityProfile.defaults().seccomp().toBytes(), filter.value());
    }

    @Test
    void shouldEncodeTheResourceLimitsAndOomScoreAdjustment() {
        List<Record> records = decode(InitProtocol.encode(CONFIG));

        assertEquals(List.of(0L), numbers(records, 'O'));
        List<String> limits = records.stream().filter(r -> r.tag() == 'L').map(r -> {
            ByteBuffer b = ByteBuffer.wrap(r.value()).order(ByteOrder.LITTLE_ENDIAN);
            return b.getInt() + ":" + b.getLong() + ":" + b.getLong();
        }).toList();
        assertEquals(List.of("7:1024:524288", "4:0:0"), limits, "RLIMIT_NOFILE 7, RLIMIT_CORE 4");
    }

    @Test
    void shouldEncodeAnExecWithItsNamespacesInOrderAndItsTerminal() {
        byte[] message = InitProtocol.encodeExec(CONFIG.withArgs(List.of("id", "-u")), List.of(7, 8, 9),
                Optional.of(new TerminalSize(30, 100)));

        List<Record> records = decode(message);
        assertEquals(List.of("id", "-u"), strings(records, 'A'));
        assertEquals(List.of("PATH=/bin", "A=b"), strings(records, 'E'), "the container's environment");
        assertEquals(List.of(1000L), numbers(records, 'U'));
        assertEquals(List.of(7L, 8L, 9L), numbers(records, 'J'));
        assertEquals(List.of((30L << 16) | 100), numbers(records, 'T'));
        assertEquals(List.of(), numbers(decode(InitProtocol.encodeExec(CONFIG, List.of(7), Optional.empty())), 'T'));
    }

    @Test
    void shouldEncodeAnEmptyArgumentAsALoneNul() {
        InitConfig config = new InitConfig(List.of("/bin/echo", ""), List.of(), "/", 0, 0, List.of(),
                SecurityProfile.defaults());

        List<Record> args = decode(InitProtocol.encode(config)).stream().filter(r -> r.tag() == 'A').toList();

        assertArrayEquals(new byte[] {0}, args.get(1).value());
    }

    @Test
    void shouldRefuseAConfigurationInitWouldRefuse() {
        String big = "x".repeat(InitProtocol.MAX_CONFIG_BYTES);
        InitConfig config = new InitConfig(List.of("/bin/true", big), List.of(), "/", 0, 0, List.of(),
                SecurityProfile.defaults());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InitProtocol.encode(config));
        assertTrue(e.getMessage().contains("larger than"), e.getMessage());
    }

    @Test
    void shouldAcceptStartedAndRethrowInitsOwnError() {
        InitProtocol.checkReply("started\n");

        ContainerException e = assertThrows(ContainerException.class,
                () -> InitProtocol.checkReply("error exec /bin/nope: ENOENT (No such file or directory)\n"));
        assertEquals("actord-init: exec /bin/nope: ENOENT (No such file or directory)", e.getMessage());
        assertEquals("actord-init exited before it reported",
                assertThrows(ContainerException.class, () -> InitProtocol.checkReply("")).getMessage());
    }

    @Test
    void shouldParseTheExitStatusFileInitWrites() {
        assertEquals(Optional.of(ExitStatus.exited(3)), InitProtocol.parseExitStatus("exited 3\n"));
        assertEquals(Optional.of(ExitStatus.killed(Signal.SIGKILL)), InitProtocol.parseExitStatus("signaled 9\n"));
        assertEquals(137, InitProtocol.parseExitStatus("signaled 9").orElseThrow().code());
        assertEquals(Optional.empty(), InitProtocol.parseExitStatus(""));
        assertEquals(Optional.empty(), InitProtocol.parseExitStatus("exited"));
    }

    /** A real socketpair (no root needed) with this test playing actord-init. */
    @Test
    void shouldSendTheConfigurationAndReadInitsReplyOverTheSocket() throws Exception {
        Linux linux = new JnaLinux();
        try (FdPair pair = linux.socketPair()) {
            CompletableFuture<byte[]> init = CompletableFuture.supplyAsync(() -> {
                byte[] header = readFully(linux, pair, 8);
                int length = ByteBuffer.wrap(header, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
                byte[] body = readFully(linux, pair, length);
                linux.writeFully(pair.second(), "error chdir /work: ENOENT (No such file or directory)\n"
                        .getBytes(StandardCharsets.UTF_8));
                pair.second().close();
                byte[] message = Arrays.copyOf(header, 8 + length);
                System.arraycopy(body, 0, message, 8, length);
                return message;
            });

            ContainerException e = assertThrows(ContainerException.class,
                    () -> InitProtocol.start(linux, pair.first(), CONFIG, Duration.ofSeconds(10)));

            assertEquals("actord-init: chdir /work: ENOENT (No such file or directory)", e.getMessage());
            assertArrayEquals(InitProtocol.encode(CONFIG), init.get());
        }
    }

    @Test
    void shouldGiveUpOnASilentInit() {
        Linux linux = new JnaLinux();
        try (FdPair pair = linux.socketPair()) {
            ContainerException e = assertThrows(ContainerException.class,
                    () -> InitProtocol.start(linux, pair.first(), CONFIG, Duration.ofMillis(200)));
            assertEquals("actord-init did not report within 200 ms", e.getMessage());
        }
    }

    private static byte[] readFully(Linux linux, FdPair pair, int length) {
        byte[] buffer = new byte[length];
        for (int done = 0; done < length; ) {
            done += linux.read(pair.second(), buffer, done, length - done);
        }
        return buffer;
    }
}
