package io.actord.daemon.http;

import io.actord.daemon.access.Caller;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.List;
import java.util.Map;

/**
 * The one authentication step: who a request comes from, from the listener it arrived on and the token it
 * carries. {@link ApiHandler} calls it once per request, before routing (and the in-run endpoint's gate for
 * the events WebSocket, which never reaches the handler).
 */
@FunctionalInterface
public interface Authenticator {
    /**
     * @param runId the run whose in-run endpoint the request arrived on ({@link Listener#RUN}), else null
     * @throws io.actord.daemon.api.ApiException 401 for a token that is not valid (or missing where one is
     *                                           required), 400 for one given ambiguously
     */
    Caller authenticate(Listener listener, String runId, HttpHeaders headers, Map<String, List<String>> query);
}
