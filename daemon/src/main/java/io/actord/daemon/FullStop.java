package io.actord.daemon;

import io.actord.daemon.run.RunDrain;
import io.actord.daemon.run.RunService;
import io.actord.daemon.run.StopPolicy;
import io.actord.daemon.systemd.SdNotify;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SIGUSR1 asks for a full stop: the runs end as the stop policy says, then the daemon exits. systemd's
 * ExecStop sends it for {@code systemctl stop}, not for a restart (systemd/actord-stop). sun.misc.Signal
 * is the JDK's only way to handle a signal other than through shutdown hooks.
 */
final class FullStop {
    /** It logs as the daemon it stops. */
    private static final Logger LOG = LoggerFactory.getLogger(ActorDaemon.class);

    private FullStop() {
    }

    /** Handles SIGUSR1 from now on: once, on a thread of its own, drains {@code runs} and exits. */
    static void handle(DaemonConfig config, RunService runs, Duration abortGrace, SdNotify systemd) {
        AtomicBoolean requested = new AtomicBoolean();
        sun.misc.Signal.handle(new sun.misc.Signal("USR1"), signal -> {
            if (!requested.compareAndSet(false, true)) {
                return;
            }
            Thread stop = new Thread(() -> {
                StopPolicy policy = config.stopPolicy();
                LOG.info("actord full stop policy={} active={}", policy.word(), runs.activeCount());
                systemd.stopping("stopping: " + policy.word() + " runs");
                new RunDrain(runs, abortGrace).stop(policy, config.drainTimeout(), progress -> {
                    systemd.status("stopping: " + progress);
                    systemd.extendTimeout(Duration.ofSeconds(30));
                });
                System.exit(0);
            }, "full-stop");
            stop.start();
        });
    }
}
