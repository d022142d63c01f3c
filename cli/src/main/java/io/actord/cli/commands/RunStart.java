package io.actord.cli.commands;

import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.Context;
import io.actord.cli.DaemonClient;
import io.actord.cli.Payload;
import io.actord.cli.Query;
import io.actord.cli.options.InputOptions;
import io.actord.cli.options.RunOptions;
import io.actord.cli.output.Output;

/** Starting a run, shared by {@code run} and {@code call}: query parameters, the INPUT and Ctrl-C. */
final class RunStart {
    private RunStart() {
    }

    /** {@code POST /v2/acts/{actor}/runs}: the INPUT is read and, when it claims to be JSON, checked first. */
    static ApiResponse start(DaemonClient api, Context context, String actor, RunOptions run, InputOptions input) {
        return start(api, context, ApiPaths.actor(actor).literal("/runs"), run, input);
    }

    /** A start request to {@code runs}, the runs of an actor or of a task. */
    static ApiResponse start(DaemonClient api, Context context, Query runs, RunOptions run, InputOptions input) {
        return post(api, context, runs.param("build", run.build).param("memory", run.memory)
                .param("timeout", run.timeout), input);
    }

    /** A POST to {@code target} with the INPUT as its body (none without one); JSON is checked before it is sent. */
    static ApiResponse post(DaemonClient api, Context context, Query target, InputOptions input) {
        if (input.input == null) {
            return api.post(target);
        }
        byte[] body = Payload.read(input.input, "--input", context);
        if (Payload.isJson(input.contentType)) {
            Payload.json(body, "--input");
        }
        return api.post(target, input.contentType, body);
    }

    /**
     * While a command waits on a terminal, Ctrl-C leaves the run going: say so and how to stop it. Remove
     * the hook with {@link #forget} once the wait is over.
     */
    static Thread onInterrupt(Output out, String runId) {
        Thread hook = new Thread(() -> {
            out.err().print("\r\u001B[2K");
            out.err().println("run " + runId + " goes on; stop it with: actorctl runs abort " + runId);
            out.err().flush();
        }, "interrupted");
        if (out.errIsTerminal()) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        return hook;
    }

    static void forget(Output out, Thread hook) {
        if (out.errIsTerminal()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down: the hook runs, which is right after an interrupt.
                return;
            }
        }
    }
}
