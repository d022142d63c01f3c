package io.actord.daemon.run;

import io.actord.daemon.runoptions.RunNetwork;
import io.actord.daemon.runoptions.RunSize;

import java.util.Optional;

/**
 * A run's options as Apify reports them, and its network.
 *
 * @param build        the build tag or number the run was started with
 * @param timeoutSecs  0 = no timeout
 * @param memoryMbytes the run's {@link RunSize}
 * @param diskMbytes   its disk ({@link RunSize#diskMbytes()}), kept as Apify reports it
 * @param network      egress or isolated; runs stored before networks existed were isolated
 * @param maxItems     the most default-dataset items the run may push (ACTOR_MAX_PAID_DATASET_ITEMS), or null
 * @param maxTotalChargeUsd the most the run may charge (ACTOR_MAX_TOTAL_CHARGE_USD), or null
 * @param restartOnError a FAILED run is restarted on the same storages (up to {@link #MAX_RESTARTS} times);
 *                       false for runs stored before the option existed
 */
public record RunOptions(String build, int timeoutSecs, int memoryMbytes, int diskMbytes, RunNetwork network,
                         Long maxItems, Double maxTotalChargeUsd, boolean restartOnError) {
    /**
     * How often a run with restartOnError is restarted before its failure stands. Apify documents no number;
     * a cap keeps an actor that fails at once from restarting forever (README).
     */
    public static final int MAX_RESTARTS = 3;

    public RunOptions {
        if (network == null) {
            network = RunNetwork.ISOLATED;
        }
    }

    public static RunOptions of(String build, int timeoutSecs, int memoryMbytes) {
        return of(build, timeoutSecs, new RunSize(memoryMbytes), RunNetwork.ISOLATED);
    }

    public static RunOptions of(String build, int timeoutSecs, RunSize size, RunNetwork network) {
        return new RunOptions(build, timeoutSecs, size.memoryMbytes(), size.diskMbytes(), network, null, null, false);
    }

    /** These options with the start request's limits ({@link StartLimits}), each kept from these when not given. */
    public RunOptions with(StartLimits limits) {
        return new RunOptions(build, timeoutSecs, memoryMbytes, diskMbytes, network,
                limits.maxItems().orElse(maxItems), limits.maxTotalChargeUsd().orElse(maxTotalChargeUsd),
                limits.restartOnError().orElse(restartOnError));
    }

    /** The limits these options carry (a resurrection keeps them). */
    public StartLimits limits() {
        return new StartLimits(Optional.ofNullable(maxItems), Optional.ofNullable(maxTotalChargeUsd),
                Optional.of(restartOnError));
    }

    /** The run's size; a stored run's memory passed {@link RunSize#of} when it started. */
    public RunSize size() {
        return new RunSize(memoryMbytes);
    }
}
