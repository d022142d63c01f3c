package io.actord.daemon.webhook;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdHocWebhookTest {
    static String b64(String json) {
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldParseApifysFields() {
        List<AdHocWebhook> hooks = AdHocWebhook.parseOption(b64("[{\"eventTypes\":[\"ACTOR.RUN.SUCCEEDED\","
                + "\"ACTOR.RUN.FAILED\"],\"requestUrl\":\"https://example.com/hook?x=1\",\"payloadTemplate\":\"{}\","
                + "\"headersTemplate\":\"{\\\"X-A\\\":\\\"b\\\"}\",\"description\":\"d\",\"idempotencyKey\":\"k\","
                + "\"shouldInterpolateStrings\":true,\"ignoredField\":1},"
                + "{\"eventTypes\":[\"ACTOR.RUN.CREATED\"],\"requestUrl\":\"http://127.0.0.1:9/\"}]"));
        assertEquals(2, hooks.size());
        AdHocWebhook first = hooks.get(0);
        assertEquals(List.of("ACTOR.RUN.SUCCEEDED", "ACTOR.RUN.FAILED"), first.eventTypes());
        assertEquals("https://example.com/hook?x=1", first.requestUrl());
        assertEquals("{}", first.payloadTemplate());
        assertEquals("k", first.idempotencyKey());
        assertTrue(first.interpolatesStrings());
        assertNull(hooks.get(1).payloadTemplate());
        assertFalse(hooks.get(1).interpolatesStrings());
    }

    @Test
    void shouldAcceptUrlSafeBase64WithoutPadding() {
        String json = "[{\"eventTypes\":[\"ACTOR.RUN.ABORTED\"],\"requestUrl\":\"http://h/?a=~~~\"}]";
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        assertEquals("http://h/?a=~~~", AdHocWebhook.parseOption(urlSafe).get(0).requestUrl());
        assertTrue(AdHocWebhook.parseOption(b64("[]")).isEmpty());
    }

    @Test
    void shouldRefuseBadInputWithInvalidValue() {
        assertInvalid("not base64!", "base64");
        assertInvalid(b64("{not json"), "JSON");
        assertInvalid(b64("{\"eventTypes\":[]}"), "JSON");
        assertInvalid(b64("null"), "array");
        assertInvalid(b64("[null]"), "webhooks[0] must be an object");
        assertInvalid(b64("[{\"eventTypes\":[\"ACTOR.RUN.SUCCEEDED\"]}]"), "requestUrl is required");
        assertInvalid(b64("[{\"eventTypes\":[\"ACTOR.RUN.SUCCEEDED\"],\"requestUrl\":\"ftp://h/x\"}]"), "http or https");
        assertInvalid(b64("[{\"eventTypes\":[\"ACTOR.RUN.SUCCEEDED\"],\"requestUrl\":\"file:///etc/passwd\"}]"),
                "http or https");
        assertInvalid(b64("[{\"eventTypes\":[\"ACTOR.RUN.SUCCEEDED\"],\"requestUrl\":\"http://a b\"}]"), "not a valid URL");
        assertInvalid(b64("[{\"requestUrl\":\"http://h/\"}]"), "eventTypes must be a non-empty array");
        assertInvalid(b64("[{\"eventTypes\":[],\"requestUrl\":\"http://h/\"}]"), "eventTypes must be a non-empty");
        assertInvalid(b64("[{\"eventTypes\":[\"ACTOR.BUILD.SUCCEEDED\"],\"requestUrl\":\"http://h/\"}]"),
                "unknown event type ACTOR.BUILD.SUCCEEDED");
        assertInvalid(b64("[{\"eventTypes\":[\"ACTOR.RUN.FAILED\"],\"requestUrl\":\"https://h/\",\"ignoreSslErrors\":true}]"),
                "webhooks[0].ignoreSslErrors is not supported");
    }

    @Test
    void shouldAcceptIgnoreSslErrorsFalse() {
        assertEquals(Boolean.FALSE, AdHocWebhook.parseOption(b64("[{\"eventTypes\":[\"ACTOR.RUN.FAILED\"],"
                + "\"requestUrl\":\"https://h/\",\"ignoreSslErrors\":false}]")).get(0).ignoreSslErrors());
    }

    private static void assertInvalid(String option, String says) {
        ApiException e = assertThrows(ApiException.class, () -> AdHocWebhook.parseOption(option));
        assertEquals(ErrorType.INVALID_VALUE, e.type());
        assertTrue(e.getMessage().contains(says), e.getMessage());
    }
}
