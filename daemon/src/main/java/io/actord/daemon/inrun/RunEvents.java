package io.actord.daemon.inrun;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.actord.daemon.common.Json;
import io.actord.daemon.common.Threads;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunUsage;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Platform events to the actors that listen (apify-api.md §6): each message is a text frame
 * {@code {"name", "createdAt", "data"}}. {@code systemInfo} goes to every listening run about once a
 * second, from the run's cgroup samples; {@code aborting} and {@code persistState} on a graceful abort;
 * {@code migrating} and {@code persistState} when the run's host is drained (#26). The SDK never sends anything back.
 */
public final class RunEvents implements AutoCloseable {
    /** crawlee's default maxUsedCpuRatio: above it a run counts as CPU-overloaded. */
    static final double OVERLOADED_CPU_RATIO = 0.95;
    private static final Logger LOG = LoggerFactory.getLogger(RunEvents.class);

    private final Map<String, ChannelGroup> listeners = new ConcurrentHashMap<>();
    private final Function<String, Optional<Run>> runs;
    private final Clock clock;
    private final ScheduledExecutorService ticker;

    /**
     * @param runs     the live view of a run (with its latest resource samples), empty when it is gone
     * @param interval how often systemInfo goes out
     */
    public RunEvents(Function<String, Optional<Run>> runs, Clock clock, Duration interval) {
        this.runs = runs;
        this.clock = clock;
        this.ticker = Executors.newSingleThreadScheduledExecutor(Threads.named("run-events"));
        long every = interval.toMillis();
        ticker.scheduleAtFixedRate(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    /** Adds an events WebSocket of the run; it is dropped when it closes. */
    void subscribe(String runId, Channel channel) {
        listeners.computeIfAbsent(runId, id -> new DefaultChannelGroup("events-" + id, GlobalEventExecutor.INSTANCE))
                .add(channel);
        LOG.debug("run={} events listener connected remote={}", runId, channel.remoteAddress());
    }

    /** Whether the run has an open events WebSocket (SDK actors open one in Actor.init()). */
    public boolean listening(String runId) {
        ChannelGroup g = listeners.get(runId);
        return g != null && !g.isEmpty();
    }

    /** Sends one event to every events WebSocket of the run; returns whether any was open. */
    public boolean send(String runId, String name, Object data) {
        ChannelGroup g = listeners.get(runId);
        if (g == null || g.isEmpty()) {
            return false;
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("name", name);
        event.put("createdAt", clock.instant());
        event.put("data", data);
        try {
            g.writeAndFlush(new TextWebSocketFrame(Json.MAPPER.writeValueAsString(event)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serialise event " + name, e);
        }
        return true;
    }

    /** Graceful abort: {@code aborting}, then {@code persistState}. Returns whether the actor was listening. */
    public boolean aborting(String runId) {
        if (!send(runId, "aborting", null)) {
            return false;
        }
        send(runId, "persistState", Map.of("isMigrating", false));
        LOG.info("run={} sent events=aborting,persistState", runId);
        return true;
    }

    /**
     * Drain: {@code migrating} with the time left before the container is killed, as the platform's payload has it
     * ({@code timeRemainingSecs}), then {@code persistState} with {@code isMigrating} (which the SDK also emits itself
     * on {@code migrating}; an actor that listens to the socket alone gets it too). Returns whether the actor was
     * listening.
     */
    public boolean migrating(String runId, Duration remaining) {
        if (!send(runId, "migrating", Map.of("timeRemainingSecs", remaining.toMillis() / 1000.0))) {
            return false;
        }
        send(runId, "persistState", Map.of("isMigrating", true));
        LOG.info("run={} sent events=migrating,persistState timeRemainingSecs={}", runId, remaining.toSeconds());
        return true;
    }

    /** Closes the run's events WebSockets (its container is gone). */
    public void drop(String runId) {
        ChannelGroup g = listeners.remove(runId);
        if (g != null) {
            g.close();
        }
    }

    private void tick() {
        listeners.forEach((runId, group) -> {
            if (group.isEmpty()) {
                listeners.remove(runId, group);
                return;
            }
            try {
                runs.apply(runId).ifPresent(run -> send(runId, "systemInfo", systemInfo(run, clock.instant())));
            } catch (RuntimeException e) {
                LOG.debug("run={} systemInfo skipped: {}", runId, e.getMessage());
            }
        });
    }

    /**
     * The eight fields the Python SDK requires, plus memTotalBytes (crawlee's fallback when no memory limit
     * is known). CPU figures are % of one core; overloaded means above 95 % of the run's dedicated cores
     * ({@link RunSize#cpuCores()}).
     */
    static Map<String, Object> systemInfo(Run run, Instant now) {
        RunUsage u = run.usage();
        long running = run.runningMillis(now);
        double cpuAvg = running <= 0 ? 0 : 100.0 * u.cpuMicros() / (running * 1000.0);
        double cores = run.options().size().cpuCores();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("createdAt", now);
        info.put("cpuCurrentUsage", u.cpuCurrentUsage());
        info.put("isCpuOverloaded", u.cpuCurrentUsage() / 100.0 > OVERLOADED_CPU_RATIO * cores);
        info.put("memCurrentBytes", u.memCurrentBytes());
        info.put("memAvgBytes", u.memAvgBytes());
        info.put("memMaxBytes", u.memMaxBytes());
        info.put("cpuAvgUsage", cpuAvg);
        info.put("cpuMaxUsage", u.cpuMaxUsage());
        info.put("memTotalBytes", run.options().size().memoryBytes());
        return info;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        listeners.values().forEach(ChannelGroup::close);
        listeners.clear();
    }
}
