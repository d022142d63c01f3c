package io.actord.daemon.exec;

import io.actord.daemon.access.Caller;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.api.dto.ExecDto;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.Listener;
import io.actord.daemon.http.Router;
import io.actord.runtime.ExecSpec;
import io.actord.runtime.TerminalSize;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who may exec, and what an exec body may say; the streaming itself is ExecIT's (cli and runtime). */
class ExecRoutesTest {
    private static final String ADMIN = "adminUserId000001";
    private static final String BODY = "{\"command\": [\"id\"]}";

    private static ApiException refused(boolean overTcp, Listener listener, Caller caller, boolean upgrade,
                                        String body) {
        Router router = new Router();
        ExecRoutes.register(router, id -> Optional.empty(), () -> ADMIN, overTcp);
        HttpHeaders headers = new DefaultHttpHeaders();
        if (upgrade) {
            headers.set("Connection", "Upgrade").set("Upgrade", "actord-exec");
        }
        Router.Match match = router.match(HttpMethod.POST, "/v2/actor-runs/run1/exec");
        ApiRequest request = new ApiRequest("req1", HttpMethod.POST, "/v2/actor-runs/run1/exec", Map.of(), headers,
                body.getBytes(StandardCharsets.UTF_8), match.params(), listener, null, caller);
        return assertThrows(ApiException.class, () -> match.route().handler().handle(request));
    }

    @Test
    void shouldLetTheAdminOnTheSocketThroughToTheRun() {
        ApiException e = refused(false, Listener.UNIX, Caller.admin(ADMIN, "local"), true, BODY);
        assertEquals(ErrorType.RECORD_NOT_FOUND, e.type(), e.getMessage());
    }

    @Test
    void shouldRefuseEveryTokenOverTcpUnlessExecOverTcpIsOn() {
        ApiException e = refused(false, Listener.TCP, Caller.user(ADMIN, "local"), true, BODY);
        assertEquals(ErrorType.INSUFFICIENT_PERMISSIONS, e.type());
        assertTrue(e.getMessage().contains("--exec-over-tcp"), e.getMessage());
    }

    @Test
    void shouldTakeOnlyTheAdminsOwnTokenOverTcp() {
        assertEquals(ErrorType.RECORD_NOT_FOUND, refused(true, Listener.TCP, Caller.user(ADMIN, "local"), true, BODY)
                .type());
        assertEquals(ErrorType.INSUFFICIENT_PERMISSIONS, refused(true, Listener.TCP,
                Caller.user("someUserId0000001", "bob"), true, BODY).type());
        assertEquals(ErrorType.INSUFFICIENT_PERMISSIONS, refused(true, Listener.TCP,
                Caller.ofRun(ADMIN, "local", "run1"), true, BODY).type(), "a run's token is not the admin's");
        assertEquals(ErrorType.INSUFFICIENT_PERMISSIONS, refused(true, Listener.RUN,
                Caller.ofRun(ADMIN, "local", "run1"), true, BODY).type(), "nor from inside a run");
    }

    @Test
    void shouldAskForTheUpgradeBeforeReadingTheBody() {
        ApiException e = refused(false, Listener.UNIX, Caller.admin(ADMIN, "local"), false, "not json");
        assertEquals(ErrorType.INVALID_REQUEST, e.type());
        assertTrue(e.getMessage().contains("Upgrade: actord-exec"), e.getMessage());
        assertEquals(ErrorType.INVALID_REQUEST, refused(false, Listener.UNIX, Caller.admin(ADMIN, "local"), true,
                "not json").type());
    }

    @Test
    void shouldRefuseABodyThatIsNotAnExecRequest() {
        assertEquals(ErrorType.INVALID_REQUEST, assertThrows(ApiException.class,
                () -> ExecRoutes.body(new byte[ExecRoutes.MAX_BODY_BYTES + 1])).type());
        assertEquals(ErrorType.INVALID_INPUT, assertThrows(ApiException.class,
                () -> ExecRoutes.body("null".getBytes(StandardCharsets.UTF_8))).type());
        assertEquals(ErrorType.INVALID_INPUT, assertThrows(ApiException.class,
                () -> ExecRoutes.body("{\"command\": \"id\"}".getBytes(StandardCharsets.UTF_8))).type());
        assertEquals(List.of("id"), ExecRoutes.body(BODY.getBytes(StandardCharsets.UTF_8)).command());
    }

    @Test
    void shouldTurnABodyIntoAnExecSpec() {
        assertEquals(new ExecSpec(List.of("sh", "-c", "id"), true, Optional.empty()),
                ExecRoutes.spec(new ExecDto(List.of("sh", "-c", "id"), true, null, null, null)));
        assertEquals(new ExecSpec(List.of("sh"), false, Optional.of(new TerminalSize(24, 80))),
                ExecRoutes.spec(new ExecDto(List.of("sh"), null, true, null, null)));
        assertEquals(Optional.of(new TerminalSize(50, 200)),
                ExecRoutes.spec(new ExecDto(List.of("sh"), null, true, 50, 200)).tty());
    }

    @Test
    void shouldRefuseABodyThatIsNoCommand() {
        String[] nul = {"a\0b"};
        String[] tooMany = new String[ExecRoutes.MAX_ARGS + 1];
        Arrays.fill(tooMany, "x");
        for (ExecDto bad : List.of(new ExecDto(null, null, null, null, null),
                new ExecDto(List.of(), null, null, null, null),
                new ExecDto(List.of(""), null, null, null, null),
                new ExecDto(Arrays.asList(nul), null, null, null, null),
                new ExecDto(Arrays.asList(tooMany), null, null, null, null),
                new ExecDto(List.of("sh"), null, null, 24, 80),
                new ExecDto(List.of("sh"), null, true, 0, 80),
                new ExecDto(List.of("sh"), null, true, 24, 70000))) {
            ApiException e = assertThrows(ApiException.class, () -> ExecRoutes.spec(bad), bad.toString());
            assertEquals(ErrorType.INVALID_VALUE, e.type(), e.getMessage());
        }
    }
}
