package io.actord.daemon.http.routes;

import io.actord.daemon.HostInfo;
import io.actord.daemon.api.dto.DaemonStatusDto;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Router;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunService;

import java.time.Instant;
import java.util.List;

/** {@code GET /v2/actord/status}: version, runtime, cgroup mode, capacity and the runs in progress (for actorctl). */
public final class StatusRoutes {
    private final String version;
    private final String runtime;
    private final HostInfo host;
    private final Instant startedAt;
    private final RunService runs;

    public StatusRoutes(String version, String runtime, HostInfo host, Instant startedAt, RunService runs) {
        this.version = version;
        this.runtime = runtime;
        this.host = host;
        this.startedAt = startedAt;
        this.runs = runs;
    }

    public void register(Router router) {
        router.get("/v2/actord/status", r -> {
            r.caller().requireUser();
            List<Run> active = runs.activeRuns();
            RunService.HostMemory memory = runs.hostMemory();
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
