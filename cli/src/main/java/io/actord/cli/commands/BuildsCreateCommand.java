package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.CliException;
import io.actord.cli.DaemonClient;
import io.actord.cli.Json;
import io.actord.cli.output.Output;
import io.actord.cli.view.Fields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code actorctl builds create ACTOR --image oci:PATH[:TAG] | --image docker-archive:PATH | --rootfs DIR|TAR}:
 * a build from an image or a root filesystem on the daemon's host. Relative paths are made absolute here,
 * against the CLI's working directory. {@code --cmd} takes Docker's two forms: a JSON array of strings is
 * the exec form, anything else runs under {@code /bin/sh -c}; an image's own Entrypoint and Cmd are the
 * default.
 */
@Command(name = "create", description = "Create a build of an actor from an image (an OCI layout or docker-archive) or a root filesystem (a directory or tar file) on the daemon's host.")
final class BuildsCreateCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ACTOR", completionCandidates = Candidates.ActorNames.class, description = "the actor: name, user~name, user/name or id")
    String actor;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DIR|TAR", description = "the root filesystem")
    Path path;

    @Option(names = "--rootfs", paramLabel = "DIR|TAR", description = "the root filesystem (instead of DIR|TAR)")
    Path rootfs;

    @Option(names = "--image", paramLabel = "REF",
            description = "an image: oci:PATH[:TAG|@DIGEST] (an OCI layout, directory or tar) or docker-archive:PATH[:NAME:TAG]")
    String image;

    @Option(names = "--cmd", paramLabel = "CMD",
            description = "the entrypoint: a shell command, or a JSON array for the exec form, e.g. '[\"/bin/payload\",\"exit\",\"3\"]'; default the image's")
    String cmd;

    @Option(names = "--version-number", paramLabel = "MAJOR.MINOR",
            description = "the actor version the build belongs to; its number is MAJOR.MINOR.N (default 0.0)")
    String version;

    @Option(names = "--user", paramLabel = "USER[:GROUP]", description = "who the entrypoint runs as, by name or number; default the image's, else root")
    String user;

    @Option(names = "--tag", paramLabel = "TAG", description = "a tag the build takes over (repeatable; default latest)")
    List<String> tags;

    @Option(names = "--env", paramLabel = "NAME=VALUE", description = "an environment variable of the runs (repeatable)")
    Map<String, String> env;

    @Option(names = "--workdir", paramLabel = "DIR", description = "the entrypoint's working directory inside the container")
    String workDir;

    @Override
    protected int execute(DaemonClient api, Output out) {
        int sources = (path == null ? 0 : 1) + (rootfs == null ? 0 : 1) + (image == null ? 0 : 1);
        if (sources != 1) {
            throw new ParameterException(spec.commandLine(),
                    "give the build's source once: --image REF, or the root filesystem as DIR|TAR or --rootfs");
        }
        if (image == null && cmd == null) {
            throw new ParameterException(spec.commandLine(),
                    "missing required option: '--cmd=CMD' (a root filesystem has no command of its own)");
        }
        ObjectNode body = Json.object();
        if (image != null) {
            body.put("image", absoluteImage(image));
        } else {
            body.put("rootfs", (path != null ? path : rootfs).toAbsolutePath().normalize().toString());
        }
        if (cmd != null) {
            body.set("cmd", command(cmd));
        }
        if (user != null) {
            body.put("user", user);
        }
        if (version != null) {
            body.put("version", version);
        }
        if (tags != null) {
            body.set("tags", Json.array(tags));
        }
        if (env != null) {
            ObjectNode vars = body.putObject("env");
            env.forEach(vars::put);
        }
        if (workDir != null) {
            body.put("workDir", workDir);
        }
        ApiResponse answer = api.postJson(ApiPaths.actor(actor).literal("/builds"), body);
        if (out.json()) {
            out.json(answer.body());
        } else {
            JsonNode build = answer.data();
            out.line("created build " + Fields.text(build, "buildNumber") + " of " + actor + " (id "
                    + Fields.text(build, "id") + ", tags " + String.join(",", tags(build)) + ")");
        }
        return 0;
    }

    /** {@code TRANSPORT:PATH...} with PATH made absolute; the rest (a tag, a digest) is passed on as written. */
    static String absoluteImage(String ref) {
        int colon = ref.indexOf(':');
        if (colon <= 0) {
            throw new CliException("--image must be oci:PATH[:TAG] or docker-archive:PATH, got '" + ref + "'");
        }
        String rest = ref.substring(colon + 1);
        return rest.startsWith("/") ? ref : ref.substring(0, colon + 1) + Path.of("").toAbsolutePath() + "/" + rest;
    }

    /** A JSON array of strings is the exec form; any other text is the shell form, sent as a string. */
    static JsonNode command(String cmd) {
        String trimmed = cmd.strip();
        if (trimmed.startsWith("[")) {
            JsonNode array;
            try {
                array = Json.parse(trimmed.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new CliException("--cmd starts with '[' but is not a JSON array of strings: " + e.getMessage());
            }
            boolean strings = array.isArray() && array.size() > 0;
            for (JsonNode n : array) {
                strings &= n.isTextual();
            }
            if (!strings) {
                throw new CliException("--cmd starts with '[' but is not a non-empty JSON array of strings");
            }
            return array;
        }
        return Json.text(cmd);
    }

    private static List<String> tags(JsonNode build) {
        List<String> out = new ArrayList<>();
        build.path("tags").forEach(t -> out.add(t.asText()));
        return out.isEmpty() ? List.of("none") : out;
    }
}
