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
 * {@code actorctl builds create ACTOR DIR|TAR --cmd CMD [--tag T]...}: a build from a root filesystem on
 * the daemon's host. {@code --cmd} takes Docker's two forms: a JSON array of strings is the exec form,
 * anything else runs under {@code /bin/sh -c}.
 */
@Command(name = "create", description = "Create a build of an actor from a root filesystem (a directory or a tar file on the daemon's host).")
final class BuildsCreateCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "ACTOR", description = "the actor: name, user~name, user/name or id")
    String actor;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DIR|TAR", description = "the root filesystem")
    Path path;

    @Option(names = "--rootfs", paramLabel = "DIR|TAR", description = "the root filesystem (instead of DIR|TAR)")
    Path rootfs;

    @Option(names = "--cmd", required = true, paramLabel = "CMD",
            description = "the entrypoint: a shell command, or a JSON array for the exec form, e.g. '[\"/bin/payload\",\"exit\",\"3\"]'")
    String cmd;

    @Option(names = "--tag", paramLabel = "TAG", description = "a tag the build takes over (repeatable; default latest)")
    List<String> tags;

    @Option(names = "--env", paramLabel = "NAME=VALUE", description = "an environment variable of the runs (repeatable)")
    Map<String, String> env;

    @Option(names = "--workdir", paramLabel = "DIR", description = "the entrypoint's working directory inside the container")
    String workDir;

    @Override
    protected int execute(DaemonClient api, Output out) {
        if ((path == null) == (rootfs == null)) {
            throw new ParameterException(spec.commandLine(),
                    "give the root filesystem once: as DIR|TAR or as --rootfs");
        }
        ObjectNode body = Json.object();
        body.put("rootfs", (path != null ? path : rootfs).toAbsolutePath().normalize().toString());
        body.set("cmd", command(cmd));
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
