package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.Connection;
import io.actord.cli.DaemonClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Parameters;

import java.util.Map;

/** {@code actorctl actors create NAME}. */
@Command(name = "actors", description = "Manage actors.", subcommands = ActorsCommand.Create.class)
public final class ActorsCommand {
    @Command(name = "create", description = "Create an actor.")
    static final class Create implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "the actor's name: 3-63 letters, digits and dashes")
        String name;

        @Override
        public void run() {
            DaemonClient.Response r = Connection.of(spec).client().post("/v2/acts", Map.of("name", name));
            JsonNode actor = r.data();
            System.out.println(Connection.of(spec).json() ? r.body()
                    : "created actor " + actor.path("username").asText() + "~" + actor.path("name").asText()
                    + " (id " + actor.path("id").asText() + ")");
        }
    }
}
