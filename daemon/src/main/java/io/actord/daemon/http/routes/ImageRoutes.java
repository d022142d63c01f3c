package io.actord.daemon.http.routes;

import io.actord.daemon.access.Access;
import io.actord.daemon.actor.BuildImports;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Router;
import io.actord.daemon.image.ImageImporter;
import io.actord.daemon.image.NamedImages;
import io.netty.handler.codec.http.HttpMethod;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * Base images by name, for the admin: {@code POST|GET /v2/actord/images}, {@code GET|DELETE
 * /v2/actord/images/{name}} with '~' for each '/' of the name ({@code apify~actor-node:20}), as Apify writes
 * {@code username~actor}. An import reads a path on the daemon's host, so only the admin may make one.
 */
public final class ImageRoutes {
    private static final String PATH = "/v2/actord/images";

    private final NamedImages images;
    private final ImageImporter importer;
    private final BuildImports imports;
    private final Access access;

    public ImageRoutes(NamedImages images, ImageImporter importer, BuildImports imports, Access access) {
        this.images = images;
        this.importer = importer;
        this.imports = imports;
        this.access = access;
    }

    /** What a request names: the image's name, and an image ({@code oci:…}, {@code docker-archive:…}) or a rootfs. */
    public record NewImageDto(String name, String image, String rootfs) {
    }

    public void register(Router router) {
        router.add(HttpMethod.POST, PATH, this::create)
                .get(PATH, r -> {
                    admin(r);
                    return ApiResponse.data(200, VersionRoutes.listOf(images.list()));
                })
                .get(PATH + "/{name}", r -> {
                    admin(r);
                    String name = name(r);
                    return ApiResponse.data(200, images.find(name).orElseThrow(() ->
                            ApiException.notFound("Image", name)));
                })
                .delete(PATH + "/{name}", r -> {
                    admin(r);
                    images.delete(name(r));
                    return ApiResponse.noContent();
                });
    }

    private CompletableFuture<ApiResponse> create(ApiRequest r) {
        admin(r);
        NewImageDto body = Bodies.json(r, NewImageDto.class);
        String name = NamedImages.normalize(body.name());
        boolean image = body.image() != null && !body.image().isBlank();
        boolean rootfs = body.rootfs() != null && !body.rootfs().isBlank();
        if (image == rootfs) {
            throw new ApiException(ErrorType.INVALID_INPUT, "an image needs either 'image' (oci:PATH[:TAG] or"
                    + " docker-archive:PATH) or 'rootfs' (a directory or tar file on the daemon's host)");
        }
        return imports.submit(() -> images.put(name, image ? importer.importImage(body.image())
                : importer.importRootfs(Path.of(body.rootfs())))).thenApply(i -> ApiResponse.data(201, i)
                .withHeader("Location", PATH + "/" + i.name().replace('/', '~')));
    }

    private void admin(ApiRequest r) {
        access.requireAdmin(r.caller(), "base images can be imported, listed or deleted");
    }

    private static String name(ApiRequest r) {
        return r.pathParam("name").replace('~', '/');
    }
}
