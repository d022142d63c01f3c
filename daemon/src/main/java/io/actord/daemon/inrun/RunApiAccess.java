package io.actord.daemon.inrun;

import io.actord.daemon.run.InRunApi;
import io.actord.daemon.run.Run;
import io.actord.daemon.user.Tokens;

import java.util.function.Supplier;

/**
 * How a run reaches the API from inside its container: {@code http://127.0.0.1:7070} in a namespace of the
 * container's own, a reserved loopback port where containers share the daemon's ({@link RunApiServer#port}),
 * the run's own token and its events WebSocket on the same endpoint.
 */
final class RunApiAccess implements InRunApi {
    private final RunApiServer server;
    private final Tokens tokens;
    private final Supplier<String> publicBaseUrl;

    /** @param tokens where each container's run token is made */
    RunApiAccess(RunApiServer server, Tokens tokens, Supplier<String> publicBaseUrl) {
        this.server = server;
        this.tokens = tokens;
        this.publicBaseUrl = publicBaseUrl;
    }

    @Override
    public String baseUrl(Run run) {
        return "http://127.0.0.1:" + server.port(run.id());
    }

    @Override
    public String publicBaseUrl() {
        return publicBaseUrl.get();
    }

    @Override
    public String newToken(Run run) {
        return tokens.issueForRun(run.id(), run.userId());
    }

    @Override
    public String eventsUrl(Run run, String token) {
        return "ws://127.0.0.1:" + server.port(run.id()) + RunGate.EVENTS_PATH + "?token=" + token;
    }
}
