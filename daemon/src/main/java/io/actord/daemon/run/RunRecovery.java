package io.actord.daemon.run;

import io.actord.runtime.Container;
import io.actord.runtime.ContainerRuntime;
import io.actord.runtime.ContainerState;
import io.actord.runtime.ExitStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * After a restart (a clean stop or a {@code kill -9}), settles every run of its own ({@link RunOwner}) the previous
 * daemon left READY, RUNNING, TIMING-OUT or ABORTING, before the API opens; the active runs of other daemons on the
 * same database are theirs to settle and are left alone:
 * <ul>
 *   <li>its container still lives (the runtime checks pid and start time): re-attach and supervise it
 *       again, with the timeout or grace period that was running;</li>
 *   <li>it ended while no daemon watched: finish the run from the exit status actord-init recorded, then
 *       remove what the container left;</li>
 *   <li>it ended and left no status: FAILED (the status a graceful abort or a timeout already decided
 *       stands), with a message that says so;</li>
 *   <li>its container's scratch directory is not in this daemon's containers directory (the state was restored
 *       from a backup, or the state directory moved): FAILED the same way, without touching that container, which
 *       is another state directory's (a backup holds no containers);</li>
 *   <li>it was READY and never got a container (it waited for host memory, or the daemon stopped while
 *       starting it), or it was getting a new container (a resurrection, reboot or metamorph stores RUNNING with
 *       none first): it waits READY for host memory again and starts;</li>
 * </ul>
 * Then every container no re-attached run owns is removed, killed first if it still runs (its cgroup, its
 * scratch directory with its disk image, its network): the previous daemon may have died after storing a run's
 * end but before killing or tearing down its container (an immediate abort stores ABORTED, then kills), or while
 * making a reboot's new container. No run stays active without a supervisor, no container of an active run is left
 * unwatched, and no container lives on without a run.
 */
public final class RunRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(RunRecovery.class);
    private static final List<RunStatus> ACTIVE = List.of(RunStatus.READY, RunStatus.RUNNING, RunStatus.TIMING_OUT,
            RunStatus.ABORTING);

    private final ActiveRuns active;
    private final RunRepository repository;
    private final Supervisors supervisors;
    private final ContainerRuntime runtime;
    private final ContainerSpecFactory specs;
    private final RunOwner owner;
    /** In a cluster the runs that wait for a host are placement's, not any recovering daemon's (#26). */
    private volatile boolean leaveUnplaced;

    RunRecovery(ActiveRuns active, RunRepository repository, Supervisors supervisors, ContainerRuntime runtime,
                ContainerSpecFactory specs, RunOwner owner) {
        this.owner = owner;
        this.active = active;
        this.repository = repository;
        this.supervisors = supervisors;
        this.runtime = runtime;
        this.specs = specs;
    }

    /**
     * What recovery found: runs re-attached, finished from a recorded exit, lost, queued again, containers removed,
     * and active runs left to the other daemons that own them.
     */
    public record Report(int attached, int finished, int lost, int requeued, int removed, int others) {
    }

    /** From now on, unplaced runs ({@link UnplacedRunKey#isUnplaced}) are left to the cluster's placement. */
    void leaveUnplaced() {
        leaveUnplaced = true;
    }

    Report recover() {
        List<RunSupervisor> waiting = new ArrayList<>();
        int attached = 0;
        int finished = 0;
        int lost = 0;
        Set<String> owned = new HashSet<>();
        List<Run> found = activeRuns();
        List<Run> mine = found.stream().filter(r -> !(leaveUnplaced && UnplacedRunKey.isUnplaced(r)))
                .flatMap(r -> repository.claim(r.id(), owner).stream()).toList();
        for (Run run : mine) {
            RunSupervisor supervisor = adopt(run);
            ContainerRef ref = run.container();
            if (ref == null || ref.pid() <= 0) {
                cleanUp(new ContainerState(run.containerId(), 0, 0, plannedRunDir(run)));
                if (run.status() == RunStatus.READY) {
                    waiting.add(supervisor);
                    continue;
                }
                if (run.status() == RunStatus.RUNNING) {
                    // a resurrection, reboot or metamorph stores RUNNING with no container before making one
                    supervisor.restartUnstarted();
                    waiting.add(supervisor);
                    continue;
                }
                supervisor.finishLost("the daemon stopped before the container started");
                lost++;
                continue;
            }
            if (!madeHere(ref)) {
                // restored from a backup (or moved): the container, if it lives, is another state directory's
                supervisor.finishLost("its container belongs to another state directory (" + ref.runDir()
                        + "): the state was restored from a backup or moved");
                lost++;
                continue;
            }
            ContainerState state = ref.toState();
            Optional<Container> living = attach(state);
            if (living.isPresent()) {
                active.holdRecovered(run);
                supervisor.attach(living.get());
                owned.add(ref.id());
                LOG.info("recovery run={} status={} re-attached container={} pid={}", run.id(),
                        run.status().wireName(), ref.id(), ref.pid());
                attached++;
                continue;
            }
            Optional<ExitStatus> exit = exitStatusOf(state);
            cleanUp(state);
            if (exit.isPresent()) {
                supervisor.finishFromRecord(exit.get());
                LOG.info("recovery run={} container={} ended while the daemon was down exitCode={}", run.id(),
                        ref.id(), exit.get().code());
                finished++;
            } else {
                supervisor.finishLost("it ended while the daemon was down and left no exit status");
                lost++;
            }
        }
        int removed = removeUnowned(owned);
        // the living containers took their memory above; the READY runs queue for what is left
        for (RunSupervisor supervisor : waiting) {
            active.requeue(supervisor);
            LOG.info("recovery run={} status=READY has no container yet; it waits for host memory again",
                    supervisor.runId());
        }
        int others = found.size() - mine.size();
        Report report = new Report(attached, finished, lost, waiting.size(), removed, others);
        LOG.info("recovery done host={} attached={} finished={} lost={} requeued={} removed={} others={}",
                owner.hostId(), attached, finished, lost, waiting.size(), removed, others);
        return report;
    }

    /**
     * Removes every container on the host (by its cgroup or its scratch directory) that no re-attached run owns;
     * before any READY run is started again, so none of theirs is being made. Returns how many.
     */
    private int removeUnowned(Set<String> owned) {
        Set<String> found = new TreeSet<>(runtime.containerIds());
        found.addAll(specs.containerDirectories());
        found.removeAll(owned);
        for (String id : found) {
            cleanUp(new ContainerState(id, 0, 0, specs.containerRunDir(id)));
            LOG.warn("recovery: removed container={}, which no active run owns (killed what still ran in it)", id);
        }
        return found.size();
    }

    private List<Run> activeRuns() {
        List<Run> found = new ArrayList<>();
        for (RunStatus status : ACTIVE) {
            found.addAll(repository.withStatus(status,
                    id -> LOG.warn("recovery: status index names run={} which is not stored", id)));
        }
        return found;
    }

    /** Gives a run found active its supervisor. */
    private RunSupervisor adopt(Run run) {
        RunSupervisor supervisor = supervisors.create(run);
        active.adopt(supervisor);
        return supervisor;
    }

    /**
     * Whether the container's scratch directory is in this daemon's containers directory: the same directory however
     * it is spelled (a symbolic link to the state directory, say), so only a restored or moved state is another's.
     */
    private boolean madeHere(ContainerRef ref) {
        Path dir = Path.of(ref.runDir()).getParent();
        try {
            return dir != null && Files.isSameFile(dir, specs.containerRunDir(ref.id()).getParent());
        } catch (IOException e) {
            return false; // one of them does not exist: not the same directory
        }
    }

    private Path plannedRunDir(Run run) {
        return specs.containerRunDir(run.containerId());
    }

    private Optional<Container> attach(ContainerState state) {
        try {
            return runtime.attach(state);
        } catch (RuntimeException e) {
            LOG.warn("recovery: attach container={} failed: {}", state.id(), e.getMessage(), e);
            return Optional.empty();
        }
    }

    private Optional<ExitStatus> exitStatusOf(ContainerState state) {
        try {
            return runtime.exitStatusOf(state);
        } catch (RuntimeException e) {
            LOG.warn("recovery: read exit status of container={} failed: {}", state.id(), e.getMessage());
            return Optional.empty();
        }
    }

    private void cleanUp(ContainerState state) {
        try {
            runtime.cleanUp(state);
        } catch (RuntimeException e) {
            LOG.warn("recovery: clean up container={} failed: {}", state.id(), e.getMessage(), e);
        }
    }
}
