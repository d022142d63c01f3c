package io.actord.daemon;

import io.actord.daemon.common.UsageException;
import io.actord.daemon.logging.ConsoleLogging;
import io.actord.daemon.run.RunSteps;
import io.actord.daemon.systemd.ListenFds;
import io.actord.daemon.systemd.SdNotify;
import io.actord.runtime.ContainerRuntime;
import io.actord.runtime.network.NetworkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;

/** The daemon's process around an {@link ActorDaemon}: flags, systemd's notifications, the shutdown hook. */
public final class DaemonMain {
    private static final Logger LOG = LoggerFactory.getLogger(ActorDaemon.class);

    private DaemonMain() {
    }

    /**
     * The daemon's process: parses {@code args}, serves until SIGTERM. {@code steps} is told each step of a run's path
     * ({@link RunSteps#NONE} but in the crash-window test's daemon process, which stops at one to be killed there).
     */
    public static void serve(String[] args, RunSteps steps) {
        Optional<String> answer = InfoFlags.answer(args);
        if (answer.isPresent()) {
            System.out.print(answer.get());
            return;
        }
        OptionalInt restored = DaemonBackup.restoreIfAsked(args, System.out, System.err);
        if (restored.isPresent()) {
            System.exit(restored.getAsInt());
            return;
        }
        DaemonConfig config;
        try {
            config = DaemonConfig.parse(args);
        } catch (UsageException e) {
            System.err.println("actord: " + e.getMessage());
            System.err.print(DaemonConfig.USAGE);
            System.exit(2);
            return;
        }
        ConsoleLogging.useJson(config.operations().logFormat() == OperationsConfig.LogFormat.JSON);
        long pid = ProcessHandle.current().pid();
        SdNotify systemd = SdNotify.fromEnvironment(System.getenv(), pid);
        systemd.status("starting: opening the state, recovering runs");
        ContainerRuntime runtime;
        try {
            runtime = Runtimes.open(config);
        } catch (NetworkException e) {
            System.err.println("actord: " + e.getMessage());
            System.exit(1);
            return;
        }
        ActorDaemon daemon = ActorDaemon.start(config, runtime, ListenFds.fromEnvironment(System.getenv(), pid), steps);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("actord stopping");
            systemd.stopping("stopping");
            daemon.close();
            stopped.countDown();
        }, "shutdown"));
        FullStop.handle(config, daemon.runs(), daemon.abortGrace(), systemd);
        systemd.watchdogPeriod().ifPresent(period -> daemon.heartbeat(period.dividedBy(2), systemd::watchdog));
        daemon.runs().onStatusChange(run -> systemd.status(daemon.statusLine()));
        config.listen().filter(a -> !a.getAddress().isLoopbackAddress()).ifPresent(a -> LOG.warn("the TCP API"
                + " listens on {} without TLS: tokens cross the network in the clear; put a TLS proxy in front", a));
        LOG.info("actord ready version={} tcp={} socket={} state={} runtime=\"{}\"", BuildInfo.version(),
                daemon.tcpAddress().map(a -> a.getHostString() + ":" + a.getPort()).orElse("-"),
                daemon.socketPath().map(Object::toString).orElse("-"), config.stateDir(),
                daemon.runtime().description());
        systemd.ready(daemon.statusLine());
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
