package io.actord.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actord.cli.ActordCli;
import io.actord.cli.ApiPaths;
import io.actord.cli.CliException;
import io.actord.cli.Context;
import io.actord.cli.DaemonClient;
import io.actord.cli.Json;
import io.actord.cli.exec.ExecClient;
import io.actord.cli.exec.Terminal;
import io.actord.cli.http.HttpResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code actorctl exec RUN_ID [-i] [-t] -- COMMAND [ARG...]}, as {@code docker exec}: the command runs in the run's
 * container and actorctl exits with its exit code; its own failures exit {@value #OWN_FAILURE}, Docker's
 * convention, so that they never pass for the command's.
 */
@Command(name = "exec", sortOptions = false,
        description = "Run a command in a running run: its namespaces, cgroup, user, environment and security"
                + " profile (the admin only; over the Unix socket unless actord runs with --exec-over-tcp true).",
        footer = {"", "Exit status: the command's; 125 when actorctl cannot run it (an error message says why);",
                "126 when the command cannot be executed, 127 when it is not found.", "",
                "Examples:",
                "  actorctl exec RUN_ID -- sh -c 'id; hostname'",
                "  actorctl exec -it RUN_ID -- sh"})
public final class ExecCommand implements Callable<Integer> {
    static final int OWN_FAILURE = 125;

    @Spec
    CommandSpec spec;

    @Option(names = {"-i", "--interactive"}, description = "pass actorctl's stdin to the command")
    boolean interactive;

    @Option(names = {"-t", "--tty"}, description = "give the command a pseudo-terminal (raw mode here)")
    boolean tty;

    @Parameters(index = "0", paramLabel = "RUN_ID", description = "the run's id")
    String runId;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND", description = "the command and its"
            + " arguments (after --, so that its options are not actorctl's)")
    List<String> command;

    @Override
    public Integer call() {
        ActordCli root = (ActordCli) spec.root().userObject();
        Context context = root.context();
        try {
            DaemonClient api = root.client();
            ObjectNode body = Json.object();
            body.set("command", Json.array(command));
            body.put("stdin", interactive);
            body.put("tty", tty);
            Optional<Terminal> terminal = tty && interactive ? Terminal.raw(stdinIsTerminal(), context.err())
                    : Optional.empty();
            try {
                terminal.flatMap(Terminal::size).ifPresent(s -> body.put("rows", s[0]).put("columns", s[1]));
                HttpResponse upgraded = api.upgrade(ApiPaths.run(runId).literal("/exec"), ExecClient.PROTOCOL, body);
                try (upgraded) {
                    ExecClient client = new ExecClient(upgraded);
                    terminal.ifPresent(t -> t.onResize(client::resize));
                    return client.run(interactive ? Optional.of(context.in()) : Optional.empty(), context.out(),
                            context.err());
                }
            } finally {
                terminal.ifPresent(Terminal::close);
            }
        } catch (CliException e) {
            context.err().println("error: " + e.getMessage());
            return OWN_FAILURE;
        } catch (IOException e) {
            context.err().println("error: closing the connection to actord: " + e.getMessage());
            return OWN_FAILURE;
        } finally {
            context.out().flush();
            context.err().flush();
        }
    }

    private static boolean stdinIsTerminal() {
        return System.console() != null;
    }
}
