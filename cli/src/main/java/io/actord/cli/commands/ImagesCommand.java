package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.Json;
import io.actord.cli.Query;
import io.actord.cli.options.OutputOptions;
import io.actord.cli.output.Output;
import io.actord.cli.view.Fields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code actorctl images import|list|delete}: base images by name, for a Dockerfile's FROM. */
@Command(name = "images", description = "Import, list and delete base images by name (what a Dockerfile's FROM names).",
        subcommands = {ImagesCommand.Import.class, ImagesCommand.List.class, ImagesCommand.Delete.class})
public final class ImagesCommand {
    static final String PATH = "/v2/actord/images";

    /** The API path of an image: its name with '~' for each '/'. */
    static Query image(String name) {
        return Query.path(PATH).segment(name.replace('/', '~'));
    }

    @Command(name = "import", description = "Import an image (an OCI layout or docker-archive) on the daemon's host under a name, e.g. apify/actor-node:20.")
    static final class Import extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "the name: lowercase path components and an optional :tag (default latest)")
        String name;

        @Parameters(index = "1", paramLabel = "REF", description = "oci:PATH[:TAG|@DIGEST] or docker-archive:PATH[:NAME:TAG]")
        String image;

        @Override
        protected int execute(DaemonClient api, Output out) {
            ObjectNode body = Json.object();
            body.put("name", name);
            body.put("image", BuildsCreateCommand.absoluteImage(image));
            ApiResponse answer = api.postJson(Query.path(PATH), body);
            if (out.json()) {
                out.json(answer.body());
            } else {
                JsonNode i = answer.data();
                out.line("imported " + Fields.text(i, "name") + " (" + i.path("layers").size() + " layers)");
            }
            return 0;
        }
    }

    @Command(name = "list", aliases = "ls", description = "List the base images by name.")
    static final class List extends ApiCommand {
        @Mixin
        OutputOptions format;

        @Override
        protected int execute(DaemonClient api, Output out) {
            ApiResponse answer = api.get(Query.path(PATH));
            if (out.json()) {
                out.json(answer.body());
                return 0;
            }
            for (JsonNode i : items(answer.data())) {
                out.line(Fields.text(i, "name") + "\t" + i.path("layers").size() + " layers\t" + Fields.text(i, "source"));
            }
            notePaging(out, answer.data(), "images");
            return 0;
        }
    }

    @Command(name = "delete", aliases = "rm", description = "Forget a name; its layers go unless a build or another name uses them.")
    static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "NAME", description = "the image's name")
        String name;

        @Override
        protected int execute(DaemonClient api, Output out) {
            ApiResponse answer = api.delete(image(name));
            if (out.json()) {
                out.jsonIfAny(answer.body());
            } else {
                out.line("deleted image " + name);
            }
            return 0;
        }
    }
}
