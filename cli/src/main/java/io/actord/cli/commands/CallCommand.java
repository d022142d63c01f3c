package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.ApiError;
import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.RunExit;
import io.actord.cli.RunFollower;
import io.actord.cli.options.InputOptions;
import io.actord.cli.options.RunOptions;
import io.actord.cli.output.Output;
import io.actord.cli.output.StatusLine;
import io.actord.cli.view.Fields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code actorctl call ACTOR ...}: runs an actor as a command. The log goes to stderr while the run
 * lasts, the OUTPUT record to stdout once it ends (byte for byte, so it can be piped), and the exit
 * status follows the run's ({@link RunExit}).
 */
@Command(name = "call", description = "Run an actor, stream its log to stderr, print its OUTPUT to stdout and exit with its status.",
        footer = {"", "Exit status: 0 SUCCEEDED, the run's exit code (or 1) FAILED, 124 TIMED-OUT,",
                "130 ABORTED; 1 also when the run could not be started.",
                "--json prints the finished run instead of the OUTPUT."})
public final class CallCommand extends ApiCommand {
    @Parameters(paramLabel = "ACTOR", completionCandidates = Candidates.ActorNames.class,
            description = "the actor: name, user~name, user/name or id")
    String actor;

    @Mixin
    RunOptions run;

    @Mixin
    InputOptions input;

    @Option(names = "--output-key", paramLabel = "KEY", defaultValue = "OUTPUT",
            description = "the record of the run's key-value store to print (default ${DEFAULT-VALUE})")
    String outputKey;

    @Option(names = {"-q", "--quiet"}, description = "do not stream the run's log")
    boolean quiet;

    @Override
    protected int execute(DaemonClient api, Output out) {
        JsonNode started = RunStart.start(api, context(), actor, run, input).data();
        String id = Fields.text(started, "id");
        RunFollower follower = new RunFollower(api, out);
        ApiResponse finished;
        Thread hook = RunStart.onInterrupt(out, id);
        try (StatusLine line = out.statusLine()) {
            follower.show(started, line);
            RunFollower.LogStream log = quiet ? null : follower.follow(id, out.errIsTerminal(), line);
            finished = follower.await(id, line);
            if (log != null) {
                log.finish().ifPresent(e -> out.note("the log stream broke off: " + e.getMessage()));
            }
        } finally {
            RunStart.forget(out, hook);
        }
        JsonNode last = finished.data();
        if (out.json()) {
            out.json(finished.body());
        } else {
            printOutput(api, out, last);
        }
        return report(out, last);
    }

    private void printOutput(DaemonClient api, Output out, JsonNode run) {
        String store = Fields.text(run, "defaultKeyValueStoreId");
        if (store == null) {
            out.note("run " + Fields.text(run, "id") + " has no key-value store");
            return;
        }
        try {
            out.bytes(api.get(ApiPaths.record(store, outputKey)).body());
        } catch (ApiError e) {
            if (!e.isNotFound()) {
                throw e;
            }
            if (RunExit.of(run) == 0) {
                out.note("run " + Fields.text(run, "id") + " stored no " + outputKey + " record");
            }
        }
    }

    /** The exit status of a finished run; a run that did not succeed says why on stderr. */
    static int report(Output out, JsonNode run) {
        int status = RunExit.of(run);
        if (status != 0) {
            String message = Fields.text(run, "statusMessage");
            out.err().println("error: run " + Fields.text(run, "id") + " " + run.path("status").asText()
                    + (message == null ? "" : ": " + message));
            out.err().flush();
        }
        return status;
    }
}
