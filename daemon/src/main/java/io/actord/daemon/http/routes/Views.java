package io.actord.daemon.http.routes;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.access.GeneralAccess;
import io.actord.daemon.actor.Actor;
import io.actord.daemon.actor.ActorService;
import io.actord.daemon.actor.Build;
import io.actord.daemon.api.dto.ActorDto;
import io.actord.daemon.api.dto.ActorShortDto;
import io.actord.daemon.api.dto.BuildDto;
import io.actord.daemon.api.dto.DefaultRunOptionsDto;
import io.actord.daemon.api.dto.RunDto;
import io.actord.daemon.api.dto.RunMetamorphDto;
import io.actord.daemon.api.dto.RunMetaDto;
import io.actord.daemon.api.dto.RunOptionsDto;
import io.actord.daemon.api.dto.RunStatsDto;
import io.actord.daemon.api.dto.StorageIdsDto;
import io.actord.daemon.api.dto.TaggedBuildDto;
import io.actord.daemon.run.ContainerUrls;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunUsage;
import io.actord.daemon.run.ServerReadiness;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.function.Function;

/** Stored records → Apify's wire shapes. */
public final class Views {
    private final ContainerUrls urls;
    private final Clock clock;
    private final Function<String, Optional<Build>> builds;
    private final Function<String, GeneralAccess> generalAccess;
    private final ServerReadiness readiness;

    /**
     * @param generalAccess a run's general access, by run id
     * @param readiness     whether a run's server accepts connections ({@code isContainerServerReady})
     */
    public Views(ContainerUrls urls, Clock clock, Function<String, Optional<Build>> builds,
                 Function<String, GeneralAccess> generalAccess, ServerReadiness readiness) {
        this.readiness = readiness;
        this.urls = urls;
        this.clock = clock;
        this.builds = builds;
        this.generalAccess = generalAccess;
    }

    public RunDto run(Run r) {
        Instant now = clock.instant();
        RunUsage u = r.usage();
        long runningMillis = r.runningMillis(now);
        double cpuAvg = runningMillis <= 0 ? 0 : 100.0 * u.cpuMicros() / (runningMillis * 1000.0);
        long duration = r.durationMillis(now);
        RunStatsDto stats = new RunStatsDto(r.inputBodyLen(), r.migrationCount(), r.rebootCount(), r.restartCount(), r.resurrectCount(),
                u.memAvgBytes(), u.memMaxBytes(), u.memCurrentBytes(), cpuAvg, u.cpuMaxUsage(), u.cpuCurrentUsage(), u.netRxBytes(),
                u.netTxBytes(), duration,
                duration / 1000.0, r.metamorphs().size(), r.computeUnits(now));
        RunOptionsDto options = new RunOptionsDto(r.options().build(), r.options().timeoutSecs(),
                r.options().memoryMbytes(), r.options().diskMbytes(), r.options().network().wireName(),
                r.options().maxItems(), r.options().maxTotalChargeUsd(), r.options().restartOnError());
        StorageIdsDto storageIds = new StorageIdsDto(Map.of("default", r.defaultDatasetId()),
                Map.of("default", r.defaultKeyValueStoreId()), Map.of("default", r.defaultRequestQueueId()));
        return new RunDto(r.id(), r.actId(), r.userId(), r.actorTaskId(), r.startedAt(), r.finishedAt(), r.status().wireName(),
                r.statusMessage(), r.status().isTerminal() || r.statusMessageTerminal() ? Boolean.TRUE : null, new RunMetaDto(r.origin(), r.scheduleId()), stats,
                options, r.buildId(), r.buildNumber(), r.exitCode(), r.defaultKeyValueStoreId(), r.defaultDatasetId(),
                r.defaultRequestQueueId(), storageIds, urls.url(r.containerUrlToken()), readiness.isReady(r.id()), null,
                generalAccess.apply(r.id()).wireName(), 0, r.metamorphs().stream().map(m -> new RunMetamorphDto(
                m.createdAt(), m.actorId(), m.buildId(), m.inputKey())).toList(), UsageViews.usage(stats.computeUnits()),
                UsageViews.usageUsd(), null, r.charges().eventCounts());
    }

    /** The Actor object with its {@code stats} and {@code versions}. */
    public ActorDto actor(Actor a, ActorDto.Stats stats, List<?> versions) {
        Map<String, TaggedBuildDto> tagged = new TreeMap<>();
        a.taggedBuilds().forEach((tag, buildId) -> builds.apply(buildId).ifPresent(b ->
                tagged.put(tag, new TaggedBuildDto(b.id(), b.buildNumber(), b.finishedAt()))));
        return new ActorDto(a.id(), a.userId(), a.name(), a.username(), a.title(), a.description(), false,
                a.createdAt(), a.modifiedAt(), new DefaultRunOptionsDto(a.defaultRunOptions().build(),
                a.defaultRunOptions().timeoutSecs(), a.defaultRunOptions().memoryMbytes(),
                a.defaultRunOptions().network() == null ? null : a.defaultRunOptions().network().wireName(),
                a.defaultRunOptions().restartOnError()), tagged, stats, versions, StandbyOptions.view(a.actorStandby()),
                a.standby().isEnabled() ? urls.standbyUrl(a.username(), a.name()) : null);
    }

    public ActorShortDto actorShort(Actor a) {
        return new ActorShortDto(a.id(), a.createdAt(), a.modifiedAt(), a.name(), a.username(), a.title());
    }

    public BuildDto build(Actor a, Build b) {
        long millis = b.duration(clock.instant()).toMillis();
        Build.Options o = b.options();
        double computeUnits = o == null ? 0 : o.memoryMbytes() / 1024.0 * millis / 3_600_000.0;
        JsonNode definition = b.actorDefinition();
        JsonNode input = definition == null ? null : definition.get("input");
        JsonNode readme = definition == null ? null : definition.get("readme");
        return new BuildDto(b.id(), b.actId(), b.userId(), b.startedAt(), b.finishedAt(), b.status(),
                new BuildDto.Meta(b.meta().origin(), b.meta().clientIp(), b.meta().userAgent()),
                new BuildDto.Stats(millis, millis / 1000.0, computeUnits), o == null ? null
                : new BuildDto.Options(o.useCache(), o.betaPackages(), o.memoryMbytes(), o.diskMbytes()),
                b.buildNumber(), definition, input != null && input.isObject() ? input.toString() : null,
                readme != null && readme.isTextual() ? readme.asText() : null, ActorService.tagsOf(a, b), b.command(),
                b.workDir(), b.source(), b.layers(), b.user().uid() + ":" + b.user().gid());
    }
}
