package io.actord.daemon.http.routes;

import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Router;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /v2/openapi.json}: the OpenAPI 3 document of the API, for anyone. It is a maintained resource file
 * ({@link #RESOURCE}), not made from the route table at run time: {@code OpenApiDocumentTest} holds the two equal, so
 * a route added without its documentation fails the build.
 */
public final class OpenApiRoutes {
    public static final String PATH = "/v2/openapi.json";
    public static final String RESOURCE = "openapi.json";

    private final byte[] document;

    public OpenApiRoutes() {
        this.document = load();
    }

    /** The document's bytes, as served. */
    public static byte[] load() {
        try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the class path has no " + RESOURCE + " beside " + OpenApiRoutes.class);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("read " + RESOURCE, e);
        }
    }

    public void register(Router router) {
        router.get(PATH, r -> ApiResponse.bytes(200, ApiResponse.JSON, document)
                .withHeader("Cache-Control", "no-cache"));
    }
}
