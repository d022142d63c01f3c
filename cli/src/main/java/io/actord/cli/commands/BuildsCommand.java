package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.Connection;
import io.actord.cli.DaemonClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code actorctl builds create NAME --rootfs DIR|TAR --cmd CMD [--tag T]}. */
@Command(name = "builds", description = "Manage builds.", subcommands = BuildsCommand.Create.class)
public final class BuildsCommand {
    @Command(name = "create", description = "Create a build of an actor from a rootfs on the daemon's host.")
    static final class Create implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "the actor: name, username~name or id")
        String actor;

        @Option(names = "--rootfs", required = true, paramLabel = "DIR|TAR",
                description = "a rootfs directory or tar file on the daemon's host")
        Path rootfs;

        @Option(names = "--cmd", required = true, paramLabel = "CMD",
                description = "the entrypoint, run by /bin/sh -c inside the container")
        String cmd;

        @Option(names = "--tag", paramLabel = "T", description = "a tag for the build (repeatable; default latest)")
        List<String> tags;

        @Override
        public void run() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("rootfs", rootfs.toAbsolutePath().toString());
            body.put("cmd", cmd);
            if (tags != null) {
                body.put("tags", tags);
            }
            DaemonClient.Response r = Connection.of(spec).client().post("/v2/acts/" + DaemonClient.encode(actor) + "/builds",
                    body);
            JsonNode build = r.data();
            System.out.println(Connection.of(spec).json() ? r.body()
                    : "created build " + build.path("buildNumber").asText() + " of " + actor + " (id "
                    + build.path("id").asText() + ", tags " + build.path("tags") + ")");
        }
    }
}
