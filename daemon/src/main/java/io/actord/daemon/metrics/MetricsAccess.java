package io.actord.daemon.metrics;

import io.actord.daemon.access.Caller;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.Authenticator;
import io.actord.daemon.http.Listener;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * Who may read {@code /metrics}: anyone on the admin socket; on TCP the bearer of the metrics token
 * ({@code --metrics-token}, for Prometheus) or of an admin token (a token of the daemon's own account, not a run's).
 * The metrics token is no user's: to the rest of the API its bearer is anonymous.
 */
final class MetricsAccess {
    private final Optional<byte[]> token;

    MetricsAccess(Optional<String> token) {
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code inner}, except that the metrics token on TCP is anonymous instead of refused as unknown. */
    Authenticator authenticator(Authenticator inner) {
        if (token.isEmpty()) {
            return inner;
        }
        return (listener, runId, headers, query) -> listener == Listener.TCP && isScraper(headers)
                ? Caller.anonymous() : inner.authenticate(listener, runId, headers, query);
    }

    /** Whether the request's one Authorization header is {@code Bearer <the metrics token>} (compared in constant time). */
    private boolean isScraper(HttpHeaders headers) {
        if (token.isEmpty()) {
            return false;
        }
        List<String> auth = headers.getAll(HttpHeaderNames.AUTHORIZATION);
        if (auth.size() != 1) {
            return false;
        }
        String h = auth.get(0).trim();
        int space = h.indexOf(' ');
        return space > 0 && h.substring(0, space).equalsIgnoreCase("Bearer") && MessageDigest.isEqual(token.get(),
                h.substring(space + 1).trim().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Passes for the admin socket, the metrics token and an admin token ({@code adminUserId}'s, not a run's).
     *
     * @throws ApiException 401 token-not-provided without a token, 403 insufficient-permissions for another's
     */
    void check(ApiRequest r, String adminUserId) {
        Caller caller = r.caller();
        if (caller.isAdmin() || r.listener() == Listener.TCP && isScraper(r.headers())) {
            return;
        }
        if (caller.isAnonymous()) {
            throw new ApiException(ErrorType.TOKEN_NOT_PROVIDED, "the metrics need the metrics token (--metrics-token)"
                    + " or an admin token: Authorization: Bearer <token>");
        }
        if (!caller.is(adminUserId) || caller.run().isPresent()) {
            throw new ApiException(ErrorType.INSUFFICIENT_PERMISSIONS, "only the admin and scrapers with the metrics"
                    + " token may read the metrics");
        }
    }
}
