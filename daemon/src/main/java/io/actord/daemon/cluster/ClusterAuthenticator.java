package io.actord.daemon.cluster;

import io.actord.daemon.access.Caller;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.http.Authenticator;
import io.actord.daemon.http.Listener;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Authentication in cluster mode: a request that another host relayed ({@link RelayHeaders}) acts as the caller that
 * host authenticated, if it carries the cluster token, and only on the routes hosts relay: {@link RunRelay}, which
 * knows them, refuses it on any other (403), since the token vouches for nothing else. One with any other value in
 * the token header is refused (401, not passed on to the user's authentication: a client cannot pose as a host).
 * Every other request is authenticated as outside a cluster. Relays come over TCP; on the admin socket and a run's
 * endpoint the header means nothing and is not looked at.
 */
public final class ClusterAuthenticator implements Authenticator {
    private final Authenticator users;
    private final Supplier<Optional<ClusterToken>> token;

    /**
     * @param users how a request that was not relayed is authenticated
     * @param token the cluster's token, once this host has joined
     */
    ClusterAuthenticator(Authenticator users, Supplier<Optional<ClusterToken>> token) {
        this.users = users;
        this.token = token;
    }

    @Override
    public Caller authenticate(Listener listener, String runId, HttpHeaders headers, Map<String, List<String>> query) {
        String given = headers.get(RelayHeaders.TOKEN);
        if (given == null || listener != Listener.TCP) {
            return users.authenticate(listener, runId, headers, query);
        }
        ClusterToken known = token.get().filter(t -> t.value().isPresent()).orElseThrow(() -> new ApiException(
                ErrorType.SERVICE_UNAVAILABLE, "this host has not read the cluster token yet; try again"));
        if (!known.matches(given)) {
            throw new ApiException(ErrorType.INVALID_TOKEN, "the " + RelayHeaders.TOKEN + " header is not this"
                    + " cluster's token (it is for requests relayed between the cluster's hosts)");
        }
        return RelayHeaders.decode(headers.get(RelayHeaders.CALLER));
    }
}
