package io.actord.daemon.run;

import java.util.function.Function;

/**
 * How a new run is taken in once {@link RunService#start} has checked it: on this host, which holds it in its
 * admission queue and starts it as soon as it has room (a single host), or by the cluster's {@link ClusterPlacement},
 * which stores it unplaced for whichever host claims it (#26).
 */
interface RunIntake {
    /**
     * Checks and stores the new run of user {@code userId} with {@code memoryMbytes}: {@code store} is given the host
     * id to name as its owner (null: none yet, unplaced), stores the run and returns it; returns the run as it is now.
     */
    Run take(String userId, int memoryMbytes, Function<String, Run> store);

    /**
     * A command (abort, reboot, ...) for {@code run}, which waits for a host ({@link UnplacedRunKey#isUnplaced}) and so
     * has no supervisor anywhere; returns the run after it.
     */
    Run commandUnplaced(Run run, RunEvent event);
}
