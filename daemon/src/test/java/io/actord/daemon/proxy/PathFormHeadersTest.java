package io.actord.daemon.proxy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class PathFormHeadersTest {
    private static final String PREFIX = "/containers/k3wc8dq0z2ymt5r7bx1nvfa9hj";

    @Test
    void shouldKeepACookieInsideThePrefixAsItIs() {
        assertEquals("a=b; Path=" + PREFIX + "/app; Secure",
                PathFormHeaders.cookie("a=b; Path=" + PREFIX + "/app; Secure", PREFIX));
        assertEquals("a=b; Path=" + PREFIX, PathFormHeaders.cookie("a=b; Path=" + PREFIX, PREFIX));
        assertEquals("a=b; Max-Age=60", PathFormHeaders.cookie("a=b; Max-Age=60", PREFIX),
                "no Path: the browser takes the request's directory");
    }

    @Test
    void shouldMoveAPathThatEscapesThePrefixIntoIt() {
        assertEquals("a=b; Path=" + PREFIX + "/", PathFormHeaders.cookie("a=b; Path=/", PREFIX));
        assertEquals("a=b; Path=" + PREFIX + "/", PathFormHeaders.cookie("a=b; PATH=" + PREFIX + "x/", PREFIX),
                "another token that begins with this one");
        assertEquals("a=b; Path=" + PREFIX + "/", PathFormHeaders.cookie("a=b; Path=" + PREFIX + "/; Path=/", PREFIX),
                "the last Path counts");
        assertEquals("a=b; Path=" + PREFIX + "/", PathFormHeaders.cookie("a=b; Path=", PREFIX));
    }

    @Test
    void shouldDropTheDomainAttribute() {
        assertEquals("a=b; HttpOnly; SameSite=Lax",
                PathFormHeaders.cookie("a=b; domain=.example.test; HttpOnly; SameSite=Lax", PREFIX));
    }

    @Test
    void shouldDropOriginWideHeadersAndAddTheSandbox() {
        HttpHeaders h = new DefaultHttpHeaders().add("Service-Worker-Allowed", "/").add("clear-site-data", "\"*\"")
                .add("Strict-Transport-Security", "max-age=1").add("Set-Cookie", "a=1; Path=/").add("Set-Cookie", "b=2")
                .add("Content-Type", "text/html");

        PathFormHeaders.confine(h, PREFIX);

        assertFalse(h.contains("service-worker-allowed"));
        assertFalse(h.contains("clear-site-data"));
        assertFalse(h.contains("strict-transport-security"));
        assertEquals(List.of("a=1; Path=" + PREFIX + "/", "b=2"), h.getAll("set-cookie"));
        assertEquals(List.of(PathFormHeaders.SANDBOX), h.getAll("content-security-policy"));
        assertEquals("text/html", h.get("content-type"));
    }
}
