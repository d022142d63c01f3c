package io.actord.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI against a one-shot fake daemon on a Unix socket in a temp directory. */
class ActordCliTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream stdout = System.out;
    private final PrintStream stderr = System.err;

    @AfterEach
    void restore() {
        System.setOut(stdout);
        System.setErr(stderr);
    }

    @Test
    void shouldCreateAnActor() throws Exception {
        CompletableFuture<String> request = serveOnce(201,
                "{\"data\":{\"id\":\"abcdefghijklmnopq\",\"name\":\"hello\",\"username\":\"local\"}}");
        assertEquals(0, run("actors", "create", "hello"));
        String req = request.get();
        assertTrue(req.startsWith("POST /v2/acts HTTP/1.1\r\n"), req);
        assertTrue(req.endsWith("{\"name\":\"hello\"}"), req);
        assertEquals("created actor local~hello (id abcdefghijklmnopq)\n", out.toString());
    }

    @Test
    void shouldCreateABuildWithTheShellFormCommand() throws Exception {
        CompletableFuture<String> request = serveOnce(201,
                "{\"data\":{\"id\":\"B\",\"buildNumber\":\"0.0.1\",\"tags\":[\"beta\"]}}");
        assertEquals(0, run("builds", "create", "local~hello", "--rootfs", "/srv/rootfs", "--cmd", "/bin/sh /hello.sh",
                "--tag", "beta"));
        String req = request.get();
        assertTrue(req.startsWith("POST /v2/acts/local~hello/builds HTTP/1.1"), req);
        assertTrue(req.endsWith("{\"rootfs\":\"/srv/rootfs\",\"cmd\":\"/bin/sh /hello.sh\",\"tags\":[\"beta\"]}"), req);
        assertTrue(out.toString().startsWith("created build 0.0.1 of local~hello"), out.toString());
    }

    @Test
    void shouldPrintTheDaemonsErrorAndExit125() throws Exception {
        serveOnce(400, "{\"error\":{\"type\":\"invalid-value\",\"message\":\"an actor named 'hello' already exists\"}}");
        assertEquals(ActordCli.ERROR, run("actors", "create", "hello"));
        assertEquals("error: an actor named 'hello' already exists\n", err.toString());
    }

    @Test
    void shouldExplainAnUnreachableDaemonAndExit125() {
        assertEquals(ActordCli.ERROR, run("actors", "create", "hello"));
        assertTrue(err.toString().startsWith("error: cannot reach the daemon at "), err.toString());
    }

    @Test
    void shouldExit125OnAUsageError() {
        assertEquals(ActordCli.ERROR, run("builds", "create", "hello"));
    }

    private int run(String... args) {
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--socket";
        all[args.length + 1] = dir.resolve("d.sock").toString();
        return ActordCli.run(all);
    }

    /** Accepts one connection, returns the request it read, answers with {@code status} and {@code body}. */
    private CompletableFuture<String> serveOnce(int status, String body) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(dir.resolve("d.sock")));
        return CompletableFuture.supplyAsync(() -> {
            try (server; SocketChannel ch = server.accept()) {
                ByteArrayOutputStream req = new ByteArrayOutputStream();
                ByteBuffer buf = ByteBuffer.allocate(8192);
                while (!complete(req.toString(StandardCharsets.UTF_8)) && ch.read(buf) > 0) {
                    req.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                ch.write(ByteBuffer.wrap(("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + b.length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8)));
                return req.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static boolean complete(String req) {
        int end = req.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String lower = req.substring(0, end + 2).toLowerCase();
        int cl = lower.indexOf("content-length: ");
        int len = cl < 0 ? 0 : Integer.parseInt(lower.substring(cl + 16, lower.indexOf("\r\n", cl)).trim());
        return req.length() - end - 4 >= len;
    }
}
