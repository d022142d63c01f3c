package io.actord.daemon.run;

import io.actord.daemon.storage.RunStorages;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A stored run. Immutable; change it with {@link #toBuilder()}.
 *
 * @param segmentStartedAt    when the current (or last) stretch of running began: startedAt, or the last resurrection
 * @param runningMillisBefore running time of the stretches before the current one (stopped time excluded)
 * @param computeUnitsBefore  compute units of those stretches (memory may differ per stretch)
 * @param containerUrlToken   the random part of the container URL
 * @param timeoutAt           when the current stretch times out, or null for no timeout
 * @param graceUntil          when the grace period of a graceful abort or a timeout ends, or null
 * @param container           the current container, once created; kept after it ends for the record
 * @param statusMessageTerminal the status message was set by the run as its last word (Apify's
 *                              isStatusMessageTerminal): the run's end keeps it instead of writing its own
 * @param rebootCount         how often the running run's container was replaced by a new one (reboot)
 * @param metamorphs          the actors the run was turned into, oldest first (actId and buildId are the last one's)
 * @param actorTaskId         the task the run was started from (Apify's {@code actorTaskId}), or null
 * @param scheduleId          the schedule that started it (Apify's {@code meta.scheduleId}), or null
 * @param restartCount        how often the run failed and was restarted on error ({@link RunOptions#restartOnError})
 * @param charges             the pay-per-event charges recorded on the run ({@link RunCharges})
 * @param stopping            the daemon is stopping the run on its own account (an idle Actor Standby run): it
 *                            goes as a graceful abort does but ends SUCCEEDED ({@link RunStateMachine#next(Run, RunEvent)})
 * @param ownerHost           the host id of the daemon that made the run's current container ({@link RunOwner}; #26
 *                            "Run rows carry their owner host"); null in runs stored before it, which belong to
 *                            whichever daemon recovers them
 * @param migrationCount      how often the run moved to another host with its container lost (#26: its host died or
 *                            was drained); Apify's {@code stats.migrationCount}
 * @param epoch               grows by one at every change of {@code ownerHost}: a daemon writes the run only while
 *                            the stored epoch is the one it took the run with (#26, fencing a stale owner)
 */
public record Run(int schemaVersion, String id, String actId, String userId, String buildId, String buildNumber,
                  RunStatus status, String statusMessage, Instant startedAt, Instant finishedAt, Integer exitCode,
                  RunOptions options, String defaultKeyValueStoreId, String defaultDatasetId,
                  String defaultRequestQueueId, String containerUrlToken, String origin, long inputBodyLen,
                  int resurrectCount, Instant segmentStartedAt, long runningMillisBefore, double computeUnitsBefore,
                  Instant timeoutAt, Instant graceUntil, ContainerRef container, RunUsage usage,
                  boolean statusMessageTerminal, int rebootCount, List<Metamorph> metamorphs,
                  String actorTaskId, String scheduleId, int restartCount, RunCharges charges, boolean stopping,
                  String ownerHost, int migrationCount, long epoch) {
    public static final int SCHEMA = 1;
    private static final double MB_PER_GB = 1024;
    private static final double MILLIS_PER_HOUR = 3_600_000;

    public Run {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(options, "options");
        usage = usage == null ? RunUsage.NONE : usage;
        segmentStartedAt = segmentStartedAt == null ? startedAt : segmentStartedAt;
        metamorphs = metamorphs == null ? List.of() : List.copyOf(metamorphs);
        charges = charges == null ? RunCharges.NONE : charges;
    }

    /**
     * The id of the current container: a new one per resurrection, reboot, restart, metamorph and migration, so a
     * leftover never collides.
     */
    public String containerId() {
        return id + "-" + (resurrectCount + rebootCount + restartCount + metamorphs.size() + migrationCount);
    }

    /** The key of the run's current input in its default key-value store: INPUT, or the last metamorph's. */
    public String inputKey() {
        return metamorphs.isEmpty() ? RunStorages.INPUT_KEY : metamorphs.get(metamorphs.size() - 1).inputKey();
    }

    /** From start to finish (or now), including time the run spent stopped before a resurrection (as Apify counts it). */
    public long durationMillis(Instant now) {
        return Math.max(0, Duration.between(startedAt, end(now)).toMillis());
    }

    /** Time actually spent running, all stretches together. */
    public long runningMillis(Instant now) {
        return runningMillisBefore + currentStretchMillis(now);
    }

    /** Memory in GB × hours actually running (Apify's compute units; stopped time does not count). */
    public double computeUnits(Instant now) {
        return computeUnitsBefore + options.memoryMbytes() / MB_PER_GB * currentStretchMillis(now) / MILLIS_PER_HOUR;
    }

    private long currentStretchMillis(Instant now) {
        return Math.max(0, Duration.between(segmentStartedAt, end(now)).toMillis());
    }

    private Instant end(Instant now) {
        return finishedAt != null ? finishedAt : now;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A mutable copy for building the next version of a run. */
    public static final class Builder {
        private String id;
        private String actId;
        private String userId;
        private String buildId;
        private String buildNumber;
        private RunStatus status;
        private String statusMessage;
        private Instant startedAt;
        private Instant finishedAt;
        private Integer exitCode;
        private RunOptions options;
        private String defaultKeyValueStoreId;
        private String defaultDatasetId;
        private String defaultRequestQueueId;
        private String containerUrlToken;
        private String origin;
        private long inputBodyLen;
        private int resurrectCount;
        private Instant segmentStartedAt;
        private long runningMillisBefore;
        private double computeUnitsBefore;
        private Instant timeoutAt;
        private Instant graceUntil;
        private ContainerRef container;
        private RunUsage usage;
        private boolean statusMessageTerminal;
        private int rebootCount;
        private List<Metamorph> metamorphs;
        private String actorTaskId;
        private String scheduleId;
        private int restartCount;
        private RunCharges charges;
        private boolean stopping;
        private String ownerHost;
        private int migrationCount;
        private long epoch;

        public Builder() {
        }

        private Builder(Run r) {
            id = r.id;
            actId = r.actId;
            userId = r.userId;
            buildId = r.buildId;
            buildNumber = r.buildNumber;
            status = r.status;
            statusMessage = r.statusMessage;
            startedAt = r.startedAt;
            finishedAt = r.finishedAt;
            exitCode = r.exitCode;
            options = r.options;
            defaultKeyValueStoreId = r.defaultKeyValueStoreId;
            defaultDatasetId = r.defaultDatasetId;
            defaultRequestQueueId = r.defaultRequestQueueId;
            containerUrlToken = r.containerUrlToken;
            origin = r.origin;
            inputBodyLen = r.inputBodyLen;
            resurrectCount = r.resurrectCount;
            segmentStartedAt = r.segmentStartedAt;
            runningMillisBefore = r.runningMillisBefore;
            computeUnitsBefore = r.computeUnitsBefore;
            timeoutAt = r.timeoutAt;
            graceUntil = r.graceUntil;
            container = r.container;
            usage = r.usage;
            statusMessageTerminal = r.statusMessageTerminal;
            rebootCount = r.rebootCount;
            metamorphs = r.metamorphs;
            actorTaskId = r.actorTaskId;
            scheduleId = r.scheduleId;
            restartCount = r.restartCount;
            charges = r.charges;
            stopping = r.stopping;
            ownerHost = r.ownerHost;
            migrationCount = r.migrationCount;
            epoch = r.epoch;
        }

        public Builder id(String v) {
            id = v;
            return this;
        }

        public Builder actId(String v) {
            actId = v;
            return this;
        }

        public Builder userId(String v) {
            userId = v;
            return this;
        }

        public Builder build(String newBuildId, String newBuildNumber) {
            buildId = newBuildId;
            buildNumber = newBuildNumber;
            return this;
        }

        /** The next status, with its message unless the run's own terminal message must stay. */
        public Builder status(RunStatus v, String message) {
            if (!(statusMessageTerminal && v.isTerminal())) {
                statusMessage = message;
                statusMessageTerminal = false;
            }
            status = v;
            return this;
        }

        /** A message the run itself sets (PUT /v2/actor-runs/{id}); {@code terminal} keeps it past the run's end. */
        public Builder statusMessage(String message, boolean terminal) {
            statusMessage = message;
            statusMessageTerminal = terminal;
            return this;
        }

        public Builder startedAt(Instant v) {
            startedAt = v;
            return this;
        }

        public Builder finishedAt(Instant v) {
            finishedAt = v;
            return this;
        }

        public Builder exitCode(Integer v) {
            exitCode = v;
            return this;
        }

        public Builder options(RunOptions v) {
            options = v;
            return this;
        }

        public Builder storages(String kvs, String dataset, String queue) {
            defaultKeyValueStoreId = kvs;
            defaultDatasetId = dataset;
            defaultRequestQueueId = queue;
            return this;
        }

        public Builder containerUrlToken(String v) {
            containerUrlToken = v;
            return this;
        }

        public Builder origin(String v) {
            origin = v;
            return this;
        }

        /** Where the run came from besides its origin: its task and schedule, each null when none. */
        public Builder startedFrom(String taskId, String schedule) {
            actorTaskId = taskId;
            scheduleId = schedule;
            return this;
        }

        public Builder inputBodyLen(long v) {
            inputBodyLen = v;
            return this;
        }

        public Builder rebootCount(int v) {
            rebootCount = v;
            return this;
        }

        /** The run becomes the metamorph's actor and build, and records it. */
        public Builder metamorph(Metamorph m, String newBuildNumber) {
            List<Metamorph> all = new ArrayList<>(metamorphs == null ? List.of() : metamorphs);
            all.add(m);
            metamorphs = all;
            actId = m.actorId();
            return build(m.buildId(), newBuildNumber);
        }

        public Builder restartCount(int v) {
            restartCount = v;
            return this;
        }

        public Builder charges(RunCharges v) {
            charges = v;
            return this;
        }

        public Builder resurrectCount(int v) {
            resurrectCount = v;
            return this;
        }

        /** Starts a new running stretch at {@code at}, banking the previous one's running time and compute units. */
        public Builder newStretch(Run previous, Instant at) {
            runningMillisBefore = previous.runningMillis(at);
            computeUnitsBefore = previous.computeUnits(at);
            segmentStartedAt = at;
            return this;
        }

        public Builder timeoutAt(Instant v) {
            timeoutAt = v;
            return this;
        }

        public Builder stopping(boolean v) {
            stopping = v;
            return this;
        }

        /** The daemon that makes the run's container from now on (its host id). */
        public Builder ownerHost(String v) {
            ownerHost = v;
            return this;
        }

        public Builder migrationCount(int v) {
            migrationCount = v;
            return this;
        }

        public Builder epoch(long v) {
            epoch = v;
            return this;
        }

        public Builder graceUntil(Instant v) {
            graceUntil = v;
            return this;
        }

        public Builder container(ContainerRef v) {
            container = v;
            return this;
        }

        public Builder usage(RunUsage v) {
            usage = v;
            return this;
        }

        public Run build() {
            return new Run(SCHEMA, id, actId, userId, buildId, buildNumber, status, statusMessage, startedAt,
                    finishedAt, exitCode, options, defaultKeyValueStoreId, defaultDatasetId, defaultRequestQueueId,
                    containerUrlToken, origin, inputBodyLen, resurrectCount, segmentStartedAt, runningMillisBefore,
                    computeUnitsBefore, timeoutAt, graceUntil, container, usage, statusMessageTerminal, rebootCount,
                    metamorphs, actorTaskId, scheduleId, restartCount, charges, stopping, ownerHost,
                    migrationCount, epoch);
        }
    }
}
