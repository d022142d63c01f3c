package io.actord.daemon.http.routes;

import io.actord.daemon.common.HostInfo;
import io.actord.daemon.access.Access;
import io.actord.daemon.api.dto.DaemonStatusDto;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Router;
import io.actord.daemon.run.HostMemory;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunService;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /v2/actord/status}: version, runtime, cgroup mode, capacity and the runs in progress (for actorctl).
 * The admin's only: it names host paths and counts every user's runs.
 */
public final class StatusRoutes {
    private final String version;
    private final String runtime;
    private final HostInfo host;
    private final Instant startedAt;
    private final RunService runs;
    private final Access access;

    public StatusRoutes(String version, String runtime, HostInfo host, Instant startedAt, RunService runs,
                        Access access) {
        this.version = version;
        this.runtime = runtime;
        this.host = host;
        this.startedAt = startedAt;
        this.runs = runs;
        this.access = access;
    }

    public void register(Router router) {
        router.get("/v2/actord/status", r -> {
            access.requireAdmin(r.caller(), "the daemon's status is shown");
            List<Run> active = runs.activeRuns();
            HostMemory memory = runs.hostMemory();
            DaemonStatusDto.Runs summary = new DaemonStatusDto.Runs(active.size(),
                    active.stream().mapToLong(run -> run.options().memoryMbytes()).sum(),
                    active.stream().mapToLong(run -> run.usage().memCurrentBytes()).sum(), memory.heldMbytes(),
                    memory.waitingRuns());
            return ApiResponse.data(200, new DaemonStatusDto(version, runtime,
                    host.cgroupMode().map(Enum::name).orElse(null), startedAt,
                    new DaemonStatusDto.Capacity(host.memoryMbytes(), host.cpus(), memory.capacityMbytes()), summary));
        });
    }
}
