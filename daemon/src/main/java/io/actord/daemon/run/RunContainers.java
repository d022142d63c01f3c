package io.actord.daemon.run;

import io.actord.daemon.actor.Actor;
import io.actord.daemon.actor.ActorService;
import io.actord.daemon.actor.Build;
import io.actord.daemon.runlog.RunLog;
import io.actord.daemon.storage.KvRecord;
import io.actord.daemon.storage.RunStorages;
import io.actord.runtime.Container;
import io.actord.runtime.ContainerRuntime;
import io.actord.runtime.ContainerSpec;
import io.actord.runtime.ExchangeDirectory;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What a supervisor does with the world outside its run to make and finish a container: look up the run's
 * actor and build, lay out its INPUT, issue its API token, build the spec ({@link ContainerSpecFactory},
 * pure) and create the container; afterwards put the files the container left into the run's default
 * key-value store. Shared by all supervisors; stateless.
 */
final class RunContainers {
    private final ContainerRuntime runtime;
    private final ContainerSpecFactory specs;
    private final InRunApi inRun;
    private final ActorService actors;
    private final RunStorages storages;
    private final RunFiles files;
    private final RunSteps steps;

    RunContainers(ContainerRuntime runtime, ContainerSpecFactory specs, InRunApi inRun, ActorService actors,
                  RunStorages storages, RunFiles files, RunSteps steps) {
        this.runtime = runtime;
        this.specs = specs;
        this.inRun = inRun;
        this.actors = actors;
        this.storages = storages;
        this.files = files;
        this.steps = steps;
    }

    /**
     * Creates the run's next container, telling {@code log} which build it starts; {@code beforeStart} runs
     * once its namespaces exist, before the workload.
     */
    Container create(Run run, RunLog log, ContainerRuntime.BeforeStart beforeStart) {
        steps.reached(RunStep.CREATING, run.id());
        Actor actor = actors.byId(run.actId()).orElseThrow(() -> new IllegalStateException(
                "actor " + run.actId() + " no longer exists"));
        Build build = actors.getBuild(run.buildId());
        ExchangeDirectory input = RunFiles.withInput(storages.record(run.defaultKeyValueStoreId(), run.inputKey()));
        ContainerSpec spec = specs.create(run, actor, build, input, inRun.access(run));
        log.system("Starting the container (build " + build.buildNumber() + ", " + run.options().memoryMbytes()
                + " MB memory" + (run.timeoutAt() == null ? "" : ", timeout " + run.options().timeoutSecs() + " s")
                + ")");
        Container created = runtime.create(spec, c -> {
            steps.reached(RunStep.STARTING, run.id());
            beforeStart.run(c);
        });
        steps.reached(RunStep.CREATED, run.id());
        return created;
    }

    /** Puts the files the run's container left in {@code dir} into the run's default key-value store. */
    void collectFiles(Run run, Optional<Path> dir) {
        dir.ifPresent(d -> files.collect(run.id(), d).forEach((key, record) ->
                storages.putRecord(run.defaultKeyValueStoreId(), key, record)));
    }

    /** Stores a record in the run's default key-value store (a metamorph's input). */
    void putRecord(Run run, String key, Optional<KvRecord> record) {
        record.ifPresent(r -> storages.putRecord(run.defaultKeyValueStoreId(), key, r));
    }
}
