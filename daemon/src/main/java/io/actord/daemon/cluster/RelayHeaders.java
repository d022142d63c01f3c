package io.actord.daemon.cluster;

import io.actord.daemon.access.Caller;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.Listener;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The headers one host adds to a request it relays to a run's host: the cluster token, the caller as the relaying
 * host authenticated it, and the relaying host's id (for the log and the hop limit). They are written afresh on
 * each relay, never copied from the client's request; the receiving host believes them only with the right token
 * ({@link ClusterAuthenticator}), only on its TCP listener, where the relays arrive, and only on the routes that are
 * relayed ({@link RunRelay}).
 */
final class RelayHeaders {
    static final String TOKEN = "X-Actord-Cluster-Token";
    static final String CALLER = "X-Actord-Relayed-Caller";
    static final String FROM = "X-Actord-Relayed-By";

    private RelayHeaders() {
    }

    /** Whether {@code request} came relayed from another host (its token was checked when it was authenticated). */
    static boolean relayed(ApiRequest request) {
        return request.listener() == Listener.TCP && request.headers().contains(TOKEN);
    }

    /** {@code caller} as {@link #CALLER} says it: a query string of kind, user id, username and run id. */
    static String encode(Caller caller) {
        if (caller.isAnonymous()) {
            return "kind=anonymous";
        }
        String kind = caller.isAdmin() ? "admin" : "user";
        return "kind=" + kind + "&user=" + enc(caller.userId()) + "&name=" + enc(caller.username())
                + caller.run().map(r -> "&run=" + enc(r)).orElse("");
    }

    /**
     * The caller {@code value} names.
     *
     * @throws ApiException 400 invalid-request when it names none (a relaying host of another version)
     */
    static Caller decode(String value) {
        if (value == null) {
            throw new ApiException(ErrorType.INVALID_REQUEST, "a relayed request without " + CALLER);
        }
        Map<String, List<String>> p = new QueryStringDecoder(value, false).parameters();
        Optional<String> user = one(p, "user");
        Optional<String> name = one(p, "name");
        String kind = one(p, "kind").orElse("");
        if (kind.equals("anonymous")) {
            return Caller.anonymous();
        }
        if (user.isEmpty() || name.isEmpty() || !kind.equals("admin") && !kind.equals("user")) {
            throw new ApiException(ErrorType.INVALID_REQUEST, "header " + CALLER + " names no caller: '" + value
                    + "'");
        }
        if (kind.equals("admin")) {
            return Caller.admin(user.get(), name.get());
        }
        return one(p, "run").map(run -> Caller.ofRun(user.get(), name.get(), run))
                .orElseGet(() -> Caller.user(user.get(), name.get()));
    }

    private static Optional<String> one(Map<String, List<String>> p, String name) {
        List<String> v = p.get(name);
        return v == null || v.size() != 1 || v.get(0).isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
