package io.actord.daemon.exec;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.actord.daemon.access.Caller;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.api.dto.ExecDto;
import io.actord.daemon.common.Json;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Listener;
import io.actord.daemon.http.RequestHandler;
import io.actord.daemon.http.Router;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunListener;
import io.actord.runtime.ExecSpec;
import io.actord.runtime.TerminalSize;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code POST /v2/actor-runs/{runId}/exec} (actord's own, as Docker's exec start): runs a command in a running
 * run and streams its stdio over this connection, upgraded to {@link ExecFrames#PROTOCOL}. The host's admin only:
 * on the Unix socket by default; over TCP only when the daemon runs with {@code --exec-over-tcp true}, and then
 * only with a token of the daemon's own account (the admin's), never a user's or a run's.
 */
public final class ExecRoutes {
    /** More arguments than any shell command line needs; actord-init takes 4096. */
    static final int MAX_ARGS = 1024;
    /** A body larger than this is no exec request (a command line of that size is refused by the kernel). */
    static final int MAX_BODY_BYTES = 256 * 1024;
    static final TerminalSize DEFAULT_TERMINAL = new TerminalSize(24, 80);

    private final RunExecs execs;
    private final Supplier<String> adminUserId;
    private final boolean overTcp;

    private ExecRoutes(RunExecs execs, Supplier<String> adminUserId, boolean overTcp) {
        this.execs = execs;
        this.adminUserId = adminUserId;
        this.overTcp = overTcp;
    }

    /**
     * Registers the route; the returned listener must hear of the runs' containers (one of the run service's).
     *
     * @param runs        finds a run by id
     * @param adminUserId the daemon's own account, whose tokens count as the admin's over TCP
     * @param overTcp     whether exec is served on the TCP listener too
     */
    public static RunListener register(Router router, Function<String, Optional<Run>> runs,
                                       Supplier<String> adminUserId, boolean overTcp) {
        RunExecs execs = new RunExecs(runs);
        ExecRoutes routes = new ExecRoutes(execs, adminUserId, overTcp);
        router.add(HttpMethod.POST, "/v2/actor-runs/{runId}/exec", RequestHandler.sync(routes::exec));
        return execs;
    }

    private ApiResponse exec(ApiRequest r) {
        requireAdmin(r.listener(), r.caller());
        if (!ExecFrames.PROTOCOL.equalsIgnoreCase(r.headers().get(HttpHeaderNames.UPGRADE, ""))) {
            throw new ApiException(ErrorType.INVALID_REQUEST, "exec streams over the connection: send 'Connection:"
                    + " Upgrade' and 'Upgrade: " + ExecFrames.PROTOCOL + "' (actorctl exec does)");
        }
        ExecSpec spec = spec(body(r.body()));
        RunExecs.Started started = execs.start(r.pathParams().get("runId"), spec);
        return new ApiResponse.Upgrade(ExecFrames.PROTOCOL, started.stream(), started.process()::close, Map.of());
    }

    private void requireAdmin(Listener listener, Caller caller) {
        if (listener == Listener.UNIX && caller.isAdmin()) {
            return;
        }
        if (listener != Listener.TCP || !overTcp) {
            throw new ApiException(ErrorType.INSUFFICIENT_PERMISSIONS, "a command can be run in a run only over the"
                    + " daemon's admin Unix socket (actord --exec-over-tcp true also lets the admin's tokens do it"
                    + " over TCP)");
        }
        if (caller.run().isPresent() || !caller.userId().equals(adminUserId.get())) {
            throw new ApiException(ErrorType.INSUFFICIENT_PERMISSIONS, "a command can be run in a run only by the"
                    + " admin: this token is not a token of the daemon's own account");
        }
    }

    /** The JSON body; 400 invalid-request when it is not JSON or too large, invalid-input when not an object. */
    static ExecDto body(byte[] body) {
        if (body.length > MAX_BODY_BYTES) {
            throw new ApiException(ErrorType.INVALID_REQUEST, "an exec request is at most " + MAX_BODY_BYTES
                    + " bytes");
        }
        if (body.length == 0) {
            throw new ApiException(ErrorType.INVALID_INPUT, "the request needs a JSON body: {\"command\": [...]}");
        }
        try {
            ExecDto dto = Json.MAPPER.readValue(body, ExecDto.class);
            if (dto == null) {
                throw new ApiException(ErrorType.INVALID_INPUT, "the request body must be a JSON object, not null");
            }
            return dto;
        } catch (JsonParseException e) {
            throw new ApiException(ErrorType.INVALID_REQUEST, "the request body is not valid JSON: "
                    + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorType.INVALID_INPUT, "the request body does not have the expected shape: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalStateException("read request body", e);
        }
    }

    static ExecSpec spec(ExecDto dto) {
        List<String> command = dto.command();
        if (command == null || command.isEmpty()) {
            throw ApiException.invalidValue("'command' must be a non-empty array of strings");
        }
        if (command.size() > MAX_ARGS) {
            throw ApiException.invalidValue("'command' has " + command.size() + " arguments, more than " + MAX_ARGS);
        }
        if (command.stream().anyMatch(a -> a == null || a.indexOf('\0') >= 0) || command.get(0).isEmpty()) {
            throw ApiException.invalidValue("'command' must hold strings without NUL characters, the first one"
                    + " not empty");
        }
        boolean tty = Boolean.TRUE.equals(dto.tty());
        if (!tty && (dto.rows() != null || dto.columns() != null)) {
            throw ApiException.invalidValue("'rows' and 'columns' are the size of a terminal: give them with"
                    + " 'tty': true");
        }
        Optional<TerminalSize> terminal = Optional.empty();
        if (tty) {
            int rows = dto.rows() == null ? DEFAULT_TERMINAL.rows() : dto.rows();
            int columns = dto.columns() == null ? DEFAULT_TERMINAL.columns() : dto.columns();
            try {
                terminal = Optional.of(new TerminalSize(rows, columns));
            } catch (IllegalArgumentException e) {
                throw ApiException.invalidValue(e.getMessage());
            }
        }
        return new ExecSpec(command, Boolean.TRUE.equals(dto.stdin()), terminal);
    }
}
