package io.actord.daemon.exec;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunListener;
import io.actord.daemon.run.RunStatus;
import io.actord.runtime.Container;
import io.actord.runtime.ContainerException;
import io.actord.runtime.ExecProcess;
import io.actord.runtime.ExecSpec;
import io.netty.channel.ChannelHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The runs' containers, as the supervisors report them ({@link RunListener}), and commands started in them.
 * Knows nothing of who may exec (the route checks that) and nothing of HTTP but the stream it hands back.
 */
public final class RunExecs implements RunListener {
    private static final Logger LOG = LoggerFactory.getLogger(RunExecs.class);

    private final Function<String, Optional<Run>> runs;
    private final Map<String, Container> containers = new ConcurrentHashMap<>();

    /** @param runs finds a run by id, finished or not */
    public RunExecs(Function<String, Optional<Run>> runs) {
        this.runs = runs;
    }

    @Override
    public void containerStarted(Run run, Container container) {
        containers.put(run.id(), container);
    }

    @Override
    public void containerStopped(String runId) {
        containers.remove(runId);
    }

    /** A command started in a run's container, and how its stream is served. */
    public record Started(ExecProcess process, Supplier<ChannelHandler> stream) {
    }

    /**
     * Starts {@code spec} in run {@code runId}'s container.
     *
     * @throws ApiException 404 when there is no such run, 400 run-state-conflict (with the run's status) when it is
     *                      not running or its container cannot take a command
     */
    public Started start(String runId, ExecSpec spec) {
        Run run = runs.apply(runId).orElseThrow(() -> ApiException.notFound("Run", runId));
        Container container = containers.get(runId);
        if (!running(run.status()) || container == null) {
            throw notRunning(run);
        }
        ExecProcess process;
        try {
            process = container.exec(spec);
        } catch (ContainerException e) {
            if (container.onExit().isDone() || !running(runs.apply(runId).map(Run::status).orElse(run.status()))) {
                throw notRunning(runs.apply(runId).orElse(run));
            }
            if (!container.canExec()) {
                throw new ApiException(ErrorType.RUN_STATE_CONFLICT, "Run '" + runId + "' cannot take a command: "
                        + e.getMessage());
            }
            throw e;
        }
        LOG.info("exec run={} pid={} program={} tty={} started", runId, process.pid(), spec.command().get(0),
                spec.tty().isPresent());
        return new Started(process, () -> new ExecStream(runId, process));
    }

    private static boolean running(RunStatus status) {
        return status == RunStatus.RUNNING || status == RunStatus.TIMING_OUT || status == RunStatus.ABORTING;
    }

    private static ApiException notRunning(Run run) {
        String why = run.status() == RunStatus.READY ? "its container has not started yet"
                : run.status().isTerminal() ? "it has finished" : "its container is gone";
        return new ApiException(ErrorType.RUN_STATE_CONFLICT, "Run '" + run.id() + "' is " + run.status().wireName()
                + ": " + why + ", and a command can only be run in a running run");
    }
}
