package io.actord.daemon.http;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RouterTest {
    private static final RequestHandler.Sync OK = r -> ApiResponse.noContent();

    @Test
    void shouldCaptureDecodedPathParameters() {
        Router router = new Router().get("/v2/actors/{actorId}/runs", OK);
        Router.Match m = router.match(HttpMethod.GET, "/v2/actors/someuser%7Ehello/runs/");
        assertEquals(Map.of("actorId", "someuser~hello"), m.params());
    }

    @Test
    void shouldPreferTheMoreSpecificTemplate() {
        Router router = new Router()
                .get("/v2/acts/{actorId}/runs/{runId}", OK)
                .get("/v2/acts/{actorId}/runs/last", OK);
        assertEquals("/v2/acts/{actorId}/runs/last",
                router.match(HttpMethod.GET, "/v2/acts/a/runs/last").route().template().pattern());
    }

    @Test
    void shouldAnswerPageNotFoundForAnUnknownPath() {
        ApiException e = assertThrows(ApiException.class, () -> new Router().get("/v2/acts", OK)
                .match(HttpMethod.GET, "/v2/nothing"));
        assertEquals(ErrorType.PAGE_NOT_FOUND, e.type());
    }

    @Test
    void shouldAnswerMethodNotAllowedForAKnownPathWithAnotherMethod() {
        ApiException e = assertThrows(ApiException.class, () -> new Router().get("/v2/acts", OK)
                .match(HttpMethod.DELETE, "/v2/acts"));
        assertEquals(ErrorType.METHOD_NOT_ALLOWED, e.type());
    }

    @Test
    void shouldAnswerHeadWithTheGetRoute() {
        Router router = new Router().get("/v2/logs/{id}", OK);
        assertEquals(HttpMethod.GET, router.match(HttpMethod.HEAD, "/v2/logs/x").route().method());
    }

    @Test
    void shouldNotMatchAnEmptyParameter() {
        Router router = new Router().get("/v2/actor-runs/{runId}", OK);
        assertThrows(ApiException.class, () -> router.match(HttpMethod.GET, "/v2/actor-runs//"));
    }

    @Test
    void shouldAnswerRecordNotFoundForAnIdUnderACollectionWithoutRoutes() {
        Router router = new Router().collection("/v2/actor-tasks", "Actor task").get("/v2/acts", OK);
        ApiException byId = assertThrows(ApiException.class, () -> router.match(HttpMethod.GET, "/v2/actor-tasks/x"));
        assertEquals(ErrorType.RECORD_NOT_FOUND, byId.type());
        assertEquals("Actor task 'x' was not found", byId.getMessage());
        assertEquals(ErrorType.RECORD_NOT_FOUND, assertThrows(ApiException.class,
                () -> router.match(HttpMethod.GET, "/v2/actor-tasks/x/input")).type(), "no task can exist");
        assertEquals(ErrorType.PAGE_NOT_FOUND, assertThrows(ApiException.class,
                () -> router.match(HttpMethod.GET, "/v2/actor-tasks")).type(), "the collection itself is a route");
    }

    @Test
    void shouldLetRoutesWinOverTheCollectionsFallback() {
        Router router = new Router().collection("/v2/datasets", "Dataset").get("/v2/datasets/{datasetId}", OK);
        assertEquals("/v2/datasets/{datasetId}", router.match(HttpMethod.GET, "/v2/datasets/x").route().template()
                .pattern());
        assertEquals(ErrorType.METHOD_NOT_ALLOWED, assertThrows(ApiException.class,
                () -> router.match(HttpMethod.POST, "/v2/datasets/x")).type());
        assertEquals(ErrorType.PAGE_NOT_FOUND, assertThrows(ApiException.class,
                () -> router.match(HttpMethod.GET, "/v2/datasets/x/nothing")).type(),
                "below an id of a served kind, an unknown path is an unknown page");
    }
}
