package io.actord.daemon.http;

import io.actord.daemon.access.Caller;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiHandlerTest {
    private static final int LIMIT = 64 * 1024;

    private final Router router = new Router()
            .get("/v2/hello/{name}", r -> ApiResponse.data(200, Map.of("name", r.pathParam("name"))))
            .get("/v2/missing", r -> {
                throw ApiException.notFound("Run", "abc");
            })
            .get("/v2/broken", r -> {
                throw new IllegalStateException("secret detail");
            })
            .post("/v2/echo", r -> ApiResponse.bytes(201, "text/plain", r.body()))
            .add(HttpMethod.GET, "/v2/stream", RequestHandler.sync(r -> new ApiResponse.Streamed(200, ApiResponse.TEXT,
                    sink -> {
                        sink.write("one ".getBytes(StandardCharsets.UTF_8));
                        sink.write("two".getBytes(StandardCharsets.UTF_8));
                        sink.close();
                    }, Map.of())))
            .add(HttpMethod.GET, "/v2/later", r -> CompletableFuture.completedFuture(ApiResponse.data(200, "late")));

    private final EmbeddedChannel channel = new EmbeddedChannel(
            new ApiChannelInitializer(new ApiHandler(router, Runnable::run, LIMIT,
                    (listener, runId, headers, query) -> Caller.admin("adminUserId000001", "local")), LIMIT, 60));

    @Test
    void shouldAnswerJsonInApifysEnvelope() {
        String res = exchange("GET /v2/hello/world HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(res.startsWith("HTTP/1.1 200 OK"), res);
        assertTrue(res.contains("content-type: application/json; charset=utf-8"), res);
        assertTrue(res.contains("X-Request-Id: "), res);
        assertTrue(res.endsWith("{\"data\":{\"name\":\"world\"}}"), res);
    }

    @Test
    void shouldMapAnApiExceptionToItsStatusAndType() {
        String res = exchange("GET /v2/missing HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(res.startsWith("HTTP/1.1 404"), res);
        assertTrue(res.endsWith("{\"error\":{\"type\":\"record-not-found\",\"message\":\"Run 'abc' was not found\"}}"), res);
    }

    @Test
    void shouldHideTheDetailsOfAnInternalError() {
        String res = exchange("GET /v2/broken HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(res.startsWith("HTTP/1.1 500"), res);
        assertTrue(res.contains("\"type\":\"internal-error\""), res);
        assertTrue(!res.contains("secret detail"), res);
        String id = res.substring(res.indexOf("X-Request-Id: ") + 14).split("\r\n")[0];
        assertTrue(res.contains("request id " + id), res);
    }

    @Test
    void shouldAnswerAnUnknownRouteWithPageNotFound() {
        String res = exchange("GET /v2/nowhere HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(res.startsWith("HTTP/1.1 404"), res);
        assertTrue(res.contains("\"type\":\"" + ErrorType.PAGE_NOT_FOUND.type() + "\""), res);
    }

    @Test
    void shouldDecodeAGzipBodyBeforeTheHandlerSeesIt() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write("compressed hello".getBytes(StandardCharsets.UTF_8));
        }
        byte[] body = gz.toByteArray();
        ByteBuf req = Unpooled.buffer();
        req.writeBytes(("POST /v2/echo HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        req.writeBytes(body);
        String res = exchange(req);
        assertTrue(res.startsWith("HTTP/1.1 201"), res);
        assertTrue(res.endsWith("compressed hello"), res);
    }

    @Test
    void shouldAnswerAnOversizedBodyWithRequestTooLarge() {
        String res = exchange("POST /v2/echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + (LIMIT + 1) + "\r\n\r\n");
        assertTrue(res.startsWith("HTTP/1.1 413"), res);
        assertTrue(res.contains("\"type\":\"request-too-large\""), res);
    }

    @Test
    void shouldAnswerExpectContinueOverTheLimitWithRequestTooLarge() {
        String res = exchange("POST /v2/echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: "
                + (50 << 20) + "\r\n\r\n");
        assertTrue(res.startsWith("HTTP/1.1 413"), res);
        assertTrue(res.contains("\"type\":\"request-too-large\""), res);
    }

    @Test
    void shouldStreamAChunkedBody() {
        String res = exchange("GET /v2/stream HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(res.contains("transfer-encoding: chunked"), res);
        assertTrue(res.contains("4\r\none \r\n3\r\ntwo\r\n0\r\n\r\n"), res);
    }

    @Test
    void shouldAnswerMalformedHttpWithInvalidRequest() {
        String res = exchange("GET /v2/hello/x HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n");
        assertTrue(res.startsWith("HTTP/1.1 400"), res);
        assertTrue(res.contains("\"type\":\"invalid-request\""), res);
    }

    /** RFC 9112 6.3: an unknown Transfer-Encoding with a Content-Length was framed by the length. */
    @Test
    void shouldRefuseATransferEncodingOtherThanChunked() {
        String res = exchange("POST /v2/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                + "Transfer-Encoding: xchunked\r\n\r\nhello");
        assertTrue(res.startsWith("HTTP/1.1 400"), res);
        assertTrue(res.contains("\"type\":\"invalid-request\""), res);
        assertTrue(!res.contains("hello"), "the body was not taken as a request's: " + res);
    }

    /** Was a dropped connection and a stack trace in the log for each such request. */
    @Test
    void shouldAnswerAMalformedQueryWithInvalidInput() {
        String res = exchange("GET /v2/hello/x?%zz=1 HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(res.startsWith("HTTP/1.1 400"), res);
        assertTrue(res.contains("\"type\":\"invalid-input\""), res);
    }

    @Test
    void shouldAnswerHeadWithoutABody() {
        String res = exchange("HEAD /v2/hello/x HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(res.startsWith("HTTP/1.1 200"), res);
        assertTrue(res.endsWith("\r\n\r\n"), res);
    }

    @Test
    void shouldWriteAResponseCompletedLater() {
        assertTrue(exchange("GET /v2/later HTTP/1.1\r\nHost: x\r\n\r\n").endsWith("{\"data\":\"late\"}"));
    }

    private String exchange(String request) {
        return exchange(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
    }

    private String exchange(ByteBuf request) {
        channel.writeInbound(request);
        channel.runPendingTasks();
        StringBuilder sb = new StringBuilder();
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            sb.append(out.toString(StandardCharsets.UTF_8));
            out.release();
        }
        return sb.toString();
    }
}
