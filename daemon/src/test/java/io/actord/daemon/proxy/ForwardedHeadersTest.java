package io.actord.daemon.proxy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ForwardedHeadersTest {
    @Test
    void shouldAppendTheClientToTheForwardedForListTheRequestBrought() {
        HttpHeaders h = new DefaultHttpHeaders().set("Host", "abc.containers.test").set("X-Forwarded-For", "10.0.0.1");

        ForwardedHeaders.of(new InetSocketAddress("192.0.2.7", 40000), "https").addTo(h, Optional.empty());

        assertEquals("10.0.0.1, 192.0.2.7", h.get("x-forwarded-for"));
        assertEquals("https", h.get("x-forwarded-proto"));
        assertEquals("abc.containers.test", h.get("x-forwarded-host"));
        assertFalse(h.contains("x-forwarded-prefix"));
    }

    @Test
    void shouldNameNoClientOnTheUnixSocketAndReplaceTheProtoAndPrefixTheClientClaimed() {
        HttpHeaders h = new DefaultHttpHeaders().set("Host", "actord").set("X-Forwarded-Proto", "https")
                .set("X-Forwarded-Prefix", "/x");

        ForwardedHeaders.of(UnixDomainSocketAddress.of("/run/actord.sock"), "http").addTo(h, Optional.of("/containers/t"));

        assertFalse(h.contains("x-forwarded-for"));
        assertEquals("http", h.get("x-forwarded-proto"));
        assertEquals("actord", h.get("x-forwarded-host"));
        assertEquals("/containers/t", h.get("x-forwarded-prefix"));
    }
}
