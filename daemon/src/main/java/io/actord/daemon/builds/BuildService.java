package io.actord.daemon.builds;

import io.actord.daemon.actor.Actor;
import io.actord.daemon.actor.Build;
import io.actord.daemon.actor.BuildStatus;
import io.actord.daemon.actor.BuildStore;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.build.ImageBuilder;
import io.actord.daemon.common.EndWaiters;
import io.actord.daemon.common.Ids;
import io.actord.daemon.common.StateDirectory;
import io.actord.daemon.image.Digest;
import io.actord.daemon.image.ImageImporter;
import io.actord.daemon.run.ActiveRuns;
import io.actord.daemon.run.RunOwner;
import io.actord.daemon.runlog.RunLogs;
import io.actord.daemon.runoptions.RunNetwork;
import io.actord.daemon.runoptions.RunSize;
import io.actord.daemon.version.ActorVersion;
import io.actord.daemon.version.VersionService;
import io.actord.runtime.FileTrees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Builds from source: {@link #start} checks the request and the user's memory limit, stores the build READY and
 * queues it for the host's memory with the runs ({@link ActiveRuns#admitJob}); once admitted it runs on
 * {@code pool} ({@link BuildExecution}); {@link #abort}, the timeout and {@link #close} stop it through its
 * {@link io.actord.daemon.build.BuildControl}. The stored build is the truth; the jobs here are the builds that
 * have not ended, and a daemon that stops with some fails them at its next start ({@link #recover}).
 */
public final class BuildService implements AutoCloseable {
    /** Apify's build memory and timeout. */
    public static final int DEFAULT_MEMORY_MBYTES = 4096;
    public static final int DEFAULT_TIMEOUT_SECS = 1800;
    /** The longest timeout a build may ask for (a day). */
    public static final int MAX_TIMEOUT_SECS = 86_400;
    /** Apify caps waitForFinish at 60 s (apify-api.md rule 5). */
    public static final long MAX_WAIT_SECS = 60;
    /** Builds that run at once (more wait READY for a thread); each mostly waits for its steps' processes. */
    public static final int THREADS = 4;
    private static final Pattern TAG = Pattern.compile("^[a-zA-Z0-9._-]{1,64}$");
    private static final Pattern BUILD_NUMBER = Pattern.compile("^\\d{1,4}\\.\\d{1,4}\\.\\d{1,9}$");
    private static final Logger LOG = LoggerFactory.getLogger(BuildService.class);

    private final BuildStore store;
    private final VersionService versions;
    private final ActiveRuns capacity;
    private final RunLogs logs;
    private final BuildExecution execution;
    private final Path workDir;
    private final ExecutorService pool;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final RunOwner owner;
    private final Map<String, BuildJob> active = new ConcurrentHashMap<>();
    /** Told when a build takes or gives back host memory (a cluster's host record carries what is free). */
    private final List<Runnable> memoryChanged = new CopyOnWriteArrayList<>();
    /** waitForFinish: told of this daemon's builds by {@link #end}, of the database's other daemons' by signals. */
    private final EndWaiters<Build> waiters;
    private volatile boolean closed;

    /**
     * The parts a build needs besides the builder, wired by the composition root.
     *
     * @param layers   where a layer of the store is (to resolve the image's USER in its files)
     * @param network  how RUN steps reach the network (the daemon's default for runs)
     * @param workDir  where build contexts are made (emptied at start)
     * @param pool     where builds run (bounded: never the API's threads)
     * @param owner    this daemon: the builds it makes are its own, and it fails only those it left unfinished
     */
    public record Parts(BuildStore store, VersionService versions, ActiveRuns capacity, RunLogs logs,
                        ImageImporter importer, TarballSource tarballs, Function<Digest, Path> layers,
                        RunNetwork network, Path workDir, ExecutorService pool, ScheduledExecutorService timers,
                        Clock clock, RunOwner owner) {
    }

    public BuildService(Parts parts, ImageBuilder builder) {
        this.store = parts.store();
        this.versions = parts.versions();
        this.capacity = parts.capacity();
        this.logs = parts.logs();
        this.workDir = parts.workDir();
        this.pool = parts.pool();
        this.timers = parts.timers();
        this.clock = parts.clock();
        this.owner = parts.owner();
        this.execution = new BuildExecution(builder, new SourceContext(parts.importer(), parts.tarballs()),
                parts.layers(), parts.network(), store, this::end, clock);
        this.waiters = new EndWaiters<>(timers, timers, this::get, Build::isTerminal);
        store.onBuildEnd(waiters::heard, waiters::missed);
    }

    /**
     * A new build of {@code actor}'s version as {@code req} asks, stored READY; it starts when the host has room.
     *
     * @throws ApiException 404 for an unknown version, 400 for a GIT_REPO or GITHUB_GIST version and bad options,
     *                      402 past the user's memory limit, 503 when the daemon stops or the host refuses
     */
    public Build start(Actor actor, SourceBuildRequest req) {
        if (closed) {
            throw new ApiException(ErrorType.SERVICE_UNAVAILABLE, "the daemon is stopping");
        }
        ActorVersion version = versions.find(actor.id(), req.version()).orElseThrow(() -> ApiException.notFound(
                "Version", req.version() + "' of actor '" + actor.fullName()));
        if (version.sourceType() == ActorVersion.SourceType.GIT_REPO
                || version.sourceType() == ActorVersion.SourceType.GITHUB_GIST) {
            throw ApiException.invalidValue("version " + version.versionNumber() + " is a " + version.sourceType()
                    + " version, which actord does not build: give it SOURCE_FILES or a TARBALL");
        }
        String tag = req.tag().orElse(version.buildTag() == null ? "latest" : version.buildTag());
        if (!TAG.matcher(tag).matches() || BUILD_NUMBER.matcher(tag).matches()) {
            throw ApiException.invalidValue("build tag '" + tag + "' must be 1-64 letters, digits, '.', '_' or '-'"
                    + " and not look like a build number");
        }
        RunSize size = RunSize.of(req.memoryMbytes().orElse((long) DEFAULT_MEMORY_MBYTES));
        long timeout = req.timeoutSecs().orElse((long) DEFAULT_TIMEOUT_SECS);
        if (timeout < 0 || timeout > MAX_TIMEOUT_SECS) {
            throw ApiException.invalidValue("timeout must be 0 (none) to " + MAX_TIMEOUT_SECS + " seconds, got "
                    + timeout);
        }
        Build.Options options = new Build.Options(req.useCache(), req.betaPackages(), size.memoryMbytes(),
                size.diskMbytes(), (int) timeout);
        Map<String, String> buildArgs = version.applyEnvVarsToBuild()
                ? versions.environment(actor.id(), version.versionNumber()) : Map.of();
        String id = Ids.newId();
        String userId = req.caller().userId();
        BuildJob[] made = new BuildJob[1];
        int ahead = capacity.admitJob(id, userId, size.memoryMbytes(), () -> {
            Build build = store.add(actor.id(), version.versionNumber(), (seq, number) -> Build.ready(id, actor.id(),
                    userId, seq, number, clock.instant(), "version " + version.versionNumber(), req.meta(),
                    options, owner.hostId()), List.of());
            BuildJob job = new BuildJob(build, version, buildArgs, tag, logs.open(id), req.caller());
            active.put(id, job);
            made[0] = job;
            LOG.info("build={} status=READY actor={} user={} number={} memory={} timeout={}", id, actor.fullName(),
                    userId, build.buildNumber(), size.memoryMbytes(), timeout);
            return () -> {
                job.submitted().set(true);
                memoryChanged.forEach(Runnable::run);
                try {
                    pool.execute(() -> run(job));
                } catch (RejectedExecutionException stopping) {
                    run(job); // the daemon stops: the job was stopped first, so it only ends here
                }
            };
        });
        if (ahead > 0) {
            made[0].log().system("Waiting for the host's memory: " + ahead + " run" + (ahead == 1 ? " or build is"
                    : "s or builds are") + " before this build");
        }
        return made[0].created();
    }

    private void run(BuildJob job) {
        Optional<ScheduledFuture<?>> timer = Optional.empty();
        int timeout = job.created().options().timeoutSecs();
        if (timeout > 0) {
            // Off the timer thread: stopping kills the step under way, which the runs' timeouts must not wait for.
            timer = Optional.of(timers.schedule(() -> CompletableFuture.runAsync(() -> job.stopAs(
                    BuildJob.Stop.TIMEOUT)), timeout, TimeUnit.SECONDS));
        }
        Path dir = workDir.resolve(job.id());
        try {
            StateDirectory.createPrivate(dir);
            execution.execute(job, dir);
        } catch (IOException e) {
            end(job, job.created().withStatus(BuildStatus.FAILED, clock.instant()), "prepare the build: "
                    + e.getMessage());
        } finally {
            timer.ifPresent(t -> t.cancel(false));
            try {
                FileTrees.delete(dir);
            } catch (IOException e) {
                LOG.warn("build={} remove work dir={} error=\"{}\"", job.id(), dir, e.getMessage());
            }
        }
    }

    /**
     * The build has ended as {@code ended} (stored already when it SUCCEEDED): stores it, writes {@code lastLine}
     * to its log and ends the log's followers, frees its memory and answers those waiting. Once per job.
     */
    private void end(BuildJob job, Build ended, String lastLine) {
        if (!job.ending().compareAndSet(false, true)) {
            return;
        }
        if (ended.buildStatus() != BuildStatus.SUCCEEDED) {
            store.update(ended);
        }
        job.log().system(lastLine);
        logs.finish(job.id());
        active.remove(job.id(), job); // after the store: a build no longer active reads as it ended
        capacity.releaseJob(job.id());
        memoryChanged.forEach(Runnable::run);
        LOG.info("build={} status={} number={}", job.id(), ended.status(), ended.buildNumber());
        waiters.ended(job.id(), ended);
    }

    /** Tells {@code changed} from now on when a build of this host takes or gives back memory. */
    public void onMemoryChange(Runnable changed) {
        memoryChanged.add(changed);
    }

    /** The stored build, if there is one. */
    public Optional<Build> find(String buildId) {
        return store.find(buildId);
    }

    /** The stored build; 404 record-not-found when there is none. */
    public Build get(String buildId) {
        return store.find(buildId).orElseThrow(() -> ApiException.notFound("Build", buildId));
    }

    /** The build once it has ended, or as it is after {@code seconds} (capped at {@value #MAX_WAIT_SECS}). */
    public CompletableFuture<Build> waitForFinish(String buildId, long seconds) {
        return waiters.await(buildId, Duration.ofSeconds(Math.max(0, Math.min(MAX_WAIT_SECS, seconds))));
    }

    /**
     * Aborts a build that has not ended: one that waits for memory ends ABORTED at once, a running one once its
     * builder has stopped (waited for here up to 10 s). A build that has ended is returned as it is (Apify: "no
     * effect").
     */
    public CompletableFuture<Build> abort(String buildId) {
        BuildJob job = active.get(buildId);
        if (job == null) {
            return CompletableFuture.completedFuture(get(buildId));
        }
        stop(job, BuildJob.Stop.ABORT);
        return waitForFinish(buildId, 10);
    }

    private void stop(BuildJob job, BuildJob.Stop why) {
        job.stopAs(why);
        if (!job.submitted().get()) {
            capacity.releaseJob(job.id()); // out of the queue: from here on it cannot start
            if (!job.submitted().get()) {
                end(job, job.created().withStatus(why.status, clock.instant()), why.message + " before it started");
            }
        }
    }

    /** Deletes the log of a deleted build (of a deleted actor); missing is fine. */
    public void deleteLog(String buildId) {
        logs.delete(buildId);
    }

    /** Whether a build of the actor has not ended (the actor cannot be deleted then). */
    public boolean hasActiveBuilds(String actorId) {
        return active.values().stream().anyMatch(j -> j.created().actId().equals(actorId));
    }

    /** Whether the build has not ended. */
    public boolean isActive(String buildId) {
        return active.containsKey(buildId);
    }

    /**
     * Start-up: a build the last daemon left READY or RUNNING cannot be taken up again (its builder's process is
     * gone, its step containers are swept by the run recovery): it FAILS, and its log says why; the builds of another
     * daemon on the same database are its own ({@link RunOwner}). Work directories left behind are removed.
     */
    public void recover() {
        try {
            if (Files.isDirectory(workDir)) {
                FileTrees.delete(workDir);
            }
            StateDirectory.createPrivate(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException("clear build work directory " + workDir, e);
        }
        for (Build b : store.unfinished().stream().filter(b -> owner.owns(b.ownerHost())).toList()) {
            store.update(b.withStatus(BuildStatus.FAILED, clock.instant()));
            logs.open(b.id()).system("The daemon stopped while this build was " + b.status() + "; the build failed");
            logs.finish(b.id());
            LOG.info("build={} status=FAILED (was {} when the daemon stopped)", b.id(), b.status());
        }
    }

    /**
     * In a cluster (#26), the builds of hosts that are gone ({@code live} is false for them) fail, so that their
     * waiters are answered: the builder's processes died with the host, or were stopped when it counted itself out
     * ({@link #leftCluster}). Their logs stay on their hosts. Builds of no host (stored before builds had owners) and
     * this host's are left alone.
     *
     * @return how many failed
     */
    public int failDeparted(Predicate<String> live) {
        List<Build> lost = store.unfinished().stream().filter(b -> b.ownerHost() != null && !owner.owns(b.ownerHost())
                && !live.test(b.ownerHost())).toList();
        for (Build b : lost) {
            store.update(b.withStatus(BuildStatus.FAILED, clock.instant()));
            LOG.warn("build={} status=FAILED (was {} on host {}, which left the cluster)", b.id(), b.status(),
                    b.ownerHost());
        }
        return lost.size();
    }

    /**
     * This host counted itself out of its cluster: its builds stop and end FAILED before another host can fail them
     * ({@link #failDeparted}), so that none is stored SUCCEEDED after its waiters were told it failed.
     */
    public void leftCluster() {
        active.values().forEach(job -> stop(job, BuildJob.Stop.LEFT));
    }

    /**
     * Stops every build under way: they end FAILED (the daemon stopped) once their builders have stopped, which
     * the owner of the pool waits for when it shuts the pool down, before the store closes.
     */
    @Override
    public void close() {
        closed = true;
        active.values().forEach(job -> stop(job, BuildJob.Stop.SHUTDOWN));
        // the waiters of this daemon's builds are answered as those end; those of other daemons' builds now
        waiters.releaseAll(id -> active.containsKey(id) ? Optional.empty() : store.find(id));
    }
}
