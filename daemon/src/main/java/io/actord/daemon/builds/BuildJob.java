package io.actord.daemon.builds;

import io.actord.daemon.access.Caller;
import io.actord.daemon.actor.Build;
import io.actord.daemon.actor.BuildStatus;
import io.actord.daemon.build.BuildControl;
import io.actord.daemon.runlog.RunLog;
import io.actord.daemon.version.ActorVersion;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One build from source that has not ended: what it was asked for and how it is stopped. {@link #stopAs} records
 * why it is stopped before cancelling it, so the builder's CANCELLED becomes ABORTED, TIMED-OUT or (the daemon
 * stopping) FAILED. Thread-safe.
 *
 * @param version   the version as it was when the build was asked for (its source is that one)
 * @param buildArgs the version's variables when it applies them to the build, else none
 * @param tag       the tag the build takes when it succeeds
 * @param caller    who asked for it (a TARBALL is read as them)
 * @param submitted set once the host has room and the build is handed to the pool
 * @param ending    set by the one call that ends the build
 */
record BuildJob(Build created, ActorVersion version, Map<String, String> buildArgs, String tag, RunLog log,
                Caller caller, BuildControl control, AtomicReference<Stop> stop,
                AtomicReference<Boolean> submitted, AtomicBoolean ending) {
    /** Why a build was stopped, and the status it ends in. */
    enum Stop {
        ABORT(BuildStatus.ABORTED, "the build was aborted"),
        TIMEOUT(BuildStatus.TIMED_OUT, "the build timed out"),
        SHUTDOWN(BuildStatus.FAILED, "the daemon stopped while the build was running"),
        /** The host counted itself out of its cluster: another host may fail the build as its host's was lost. */
        LEFT(BuildStatus.FAILED, "the host left the cluster while the build was running");

        final BuildStatus status;
        final String message;

        Stop(BuildStatus status, String message) {
            this.status = status;
            this.message = message;
        }
    }

    BuildJob(Build created, ActorVersion version, Map<String, String> buildArgs, String tag, RunLog log,
             Caller caller) {
        this(created, version, buildArgs, tag, log, caller, new BuildControl(), new AtomicReference<>(),
                new AtomicReference<>(false), new AtomicBoolean());
    }

    String id() {
        return created.id();
    }

    /** Stops the build for {@code why}; the first reason given is the one it ends with. */
    void stopAs(Stop why) {
        stop.compareAndSet(null, why);
        control.cancel(stop.get().message);
    }
}
