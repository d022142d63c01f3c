package io.actord.runtime;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a container's processes start with instead of the daemon's own: resource limits (setrlimit(2)) and
 * the OOM killer's adjustment (proc(5), /proc/PID/oom_score_adj). actord-init applies both before it drops
 * privileges, for the entrypoint and for every exec'd command, as runc does with a spec's rlimits and
 * oomScoreAdj.
 *
 * @param oomScoreAdj -1000 to 1000; 0 is the kernel's neutral value (the daemon itself runs at -500 under
 *                    systemd, so that the kernel picks a run before it)
 * @param rlimits     at most one per resource
 */
public record ProcessLimits(int oomScoreAdj, List<Rlimit> rlimits) {
    /**
     * Every run's: open files 1024 soft, 524288 hard, as Docker 25+ (containerd) and systemd give services; no
     * core dumps. The soft 1024 keeps select(2) users and programs that close every descriptor up to the limit
     * safe; what needs more raises its soft limit up to the hard one itself, as Node.js, Chromium, the JDK and
     * Go do at start (a crawler's browser with many tabs gets its 524288). A core dump would fill the run's
     * disk quota or go to the host's core_pattern helper.
     */
    public static final ProcessLimits RUN_DEFAULT = new ProcessLimits(0, List.of(
            new Rlimit(Resource.NOFILE, 1024, 524_288), new Rlimit(Resource.CORE, 0, 0)));

    public ProcessLimits {
        if (oomScoreAdj < -1000 || oomScoreAdj > 1000) {
            throw new IllegalArgumentException("oom_score_adj must be -1000 to 1000, got " + oomScoreAdj);
        }
        rlimits = List.copyOf(rlimits);
        Map<Resource, Rlimit> seen = new EnumMap<>(Resource.class);
        for (Rlimit r : rlimits) {
            if (seen.put(r.resource(), r) != null) {
                throw new IllegalArgumentException("two limits for " + r.resource());
            }
        }
    }

    /** The limit of {@code resource}, if this sets one. */
    public Optional<Rlimit> limit(Resource resource) {
        return rlimits.stream().filter(r -> r.resource() == resource).findFirst();
    }

    /** The resources a container's limits may set, with their numbers in linux/resource.h. */
    public enum Resource {
        CORE(4), NPROC(6), NOFILE(7), MEMLOCK(8);

        private final int number;

        Resource(int number) {
            this.number = number;
        }

        public int number() {
            return number;
        }
    }

    /**
     * One resource's limits; {@link #UNLIMITED} is RLIM_INFINITY.
     *
     * @param soft what the process gets (it may raise it up to {@code hard})
     * @param hard the ceiling (raising it needs CAP_SYS_RESOURCE, which runs do not have)
     */
    public record Rlimit(Resource resource, long soft, long hard) {
        public static final long UNLIMITED = -1L;

        public Rlimit {
            Objects.requireNonNull(resource, "resource");
            if (soft < UNLIMITED || hard < UNLIMITED) {
                throw new IllegalArgumentException(resource + " limits must be 0 or more (or unlimited)");
            }
            if (Long.compareUnsigned(soft, hard) > 0) {
                throw new IllegalArgumentException(resource + " soft limit " + soft + " is above the hard one " + hard);
            }
        }
    }
}
