package io.actord.cli.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP/1.1 client against a scripted peer on a Unix socket: framing, chunks, bad answers. */
class HttpClientTest {
    @TempDir
    Path dir;

    private ServerSocketChannel server;

    @AfterEach
    void close() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldSendAWellFormedRequestWithItsBody() throws Exception {
        CompletableFuture<String> seen = serve("HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}");
        HttpResponse r = client().send(HttpRequest.of("POST", "/v2/acts?x=1").withBody("application/json",
                "{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(201, r.status());
        assertEquals("{}", new String(r.readAll(), StandardCharsets.UTF_8));
        String request = seen.get(5, TimeUnit.SECONDS);
        assertTrue(request.startsWith("POST /v2/acts?x=1 HTTP/1.1\r\nHost: localhost\r\n"), request);
        assertTrue(request.contains("\r\nConnection: close\r\n"), request);
        assertTrue(request.contains("\r\nContent-Type: application/json\r\n"), request);
        assertTrue(request.endsWith("\r\nContent-Length: 7\r\n\r\n{\"a\":1}"), request);
    }

    @Test
    void shouldSendContentLengthZeroForAPostWithoutBody() throws Exception {
        CompletableFuture<String> seen = serve("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        client().send(HttpRequest.of("POST", "/abort")).readAll();
        assertTrue(seen.get(5, TimeUnit.SECONDS).endsWith("Content-Length: 0\r\n\r\n"));
    }

    @Test
    void shouldReadAChunkedBodyWithExtensionsAndTrailers() throws Exception {
        serve("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
                + "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: 1\r\n\r\n");
        HttpResponse r = client().send(HttpRequest.of("GET", "/log"));
        assertEquals("text/plain", r.mediaType());
        assertEquals("hello, world", new String(r.readAll(), StandardCharsets.UTF_8));
    }

    @Test
    void shouldHandEachChunkOnAsItArrives() throws Exception {
        CountDownLatch firstRead = new CountDownLatch(1);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(dir.resolve("s.sock")));
        CompletableFuture.runAsync(() -> {
            try (SocketChannel ch = server.accept()) {
                readRequest(ch);
                write(ch, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nline\r\n");
                assertTrue(firstRead.await(5, TimeUnit.SECONDS));
                write(ch, "4\r\nmore\r\n0\r\n\r\n");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        HttpResponse r = client().send(HttpRequest.of("GET", "/log?stream=1"));
        InputStream body = r.body();
        byte[] buf = new byte[100];
        int n = body.read(buf);
        assertEquals("line", new String(buf, 0, n, StandardCharsets.UTF_8), "the first chunk, before the second exists");
        firstRead.countDown();
        assertEquals("more", new String(body.readAllBytes(), StandardCharsets.UTF_8));
        r.close();
    }

    @Test
    void shouldReadToTheEndWithoutALengthAndSkipInterimResponses() throws Exception {
        serve("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\nuntil close");
        HttpResponse r = client().send(HttpRequest.of("GET", "/"));
        assertEquals(200, r.status());
        assertArrayEquals("until close".getBytes(StandardCharsets.UTF_8), r.readAll());
    }

    @Test
    void shouldFailOnABodyCutShort() throws Exception {
        serve("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort");
        HttpResponse r = client().send(HttpRequest.of("GET", "/"));
        IOException e = assertThrows(IOException.class, r::readAll);
        assertTrue(e.getMessage().contains("5 bytes before the end"), e.getMessage());
    }

    @Test
    void shouldFailOnSomethingThatIsNotHttp() throws Exception {
        serve("SSH-2.0-OpenSSH_9.2\r\n");
        IOException e = assertThrows(IOException.class, () -> client().send(HttpRequest.of("GET", "/")));
        assertTrue(e.getMessage().startsWith("not an HTTP response (it began with 'SSH-2.0"), e.getMessage());
    }

    @Test
    void shouldSayTheSocketIsUnreachable() {
        HttpClient client = new HttpClient(new Endpoint.Unix(dir.resolve("none.sock")), "test");
        UnreachableException e = assertThrows(UnreachableException.class, () -> client.send(HttpRequest.of("GET", "/")));
        assertTrue(e.getMessage().startsWith("cannot reach the daemon at " + dir.resolve("none.sock") + ": "),
                e.getMessage());
    }

    @Test
    void shouldParseUrls() {
        assertEquals(new Endpoint.Tcp("127.0.0.1", 7070, ""), Endpoint.parseUrl("http://127.0.0.1:7070"));
        assertEquals(new Endpoint.Tcp("localhost", 80, "/api"), Endpoint.parseUrl("http://localhost/api/v2/"));
        assertEquals(new Endpoint.Tcp("::1", 7070, ""), Endpoint.parseUrl("http://[::1]:7070"));
        assertEquals("[::1]:7070", new Endpoint.Tcp("::1", 7070, "").host());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Endpoint.parseUrl("https://x"))
                .getMessage().contains("https is not supported"));
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parseUrl("localhost:7070"));
    }

    private HttpClient client() {
        return new HttpClient(new Endpoint.Unix(dir.resolve("s.sock")), "test");
    }

    /** Accepts one connection, reads the request, writes {@code response} raw and closes. */
    private CompletableFuture<String> serve(String response) throws IOException {
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(dir.resolve("s.sock")));
        return CompletableFuture.supplyAsync(() -> {
            try (SocketChannel ch = server.accept()) {
                String request = readRequest(ch);
                write(ch, response);
                return request;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static String readRequest(SocketChannel ch) throws IOException {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        while (!complete(req.toString(StandardCharsets.ISO_8859_1)) && ch.read(buf) > 0) {
            req.write(buf.array(), 0, buf.position());
            buf.clear();
        }
        return req.toString(StandardCharsets.ISO_8859_1);
    }

    private static void write(SocketChannel ch, String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static boolean complete(String req) {
        int end = req.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String head = req.substring(0, end + 2).toLowerCase();
        int cl = head.indexOf("content-length: ");
        int len = cl < 0 ? 0 : Integer.parseInt(head.substring(cl + 16, head.indexOf("\r\n", cl)).trim());
        return req.length() - end - 4 >= len;
    }
}
