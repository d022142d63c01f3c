package io.actord.daemon.http.routes;

import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.ResponseSink;
import io.actord.daemon.http.Router;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.runlog.LogFollower;
import io.actord.daemon.runlog.LogWindow;
import io.actord.daemon.runlog.RunLogs;
import io.actord.daemon.access.Need;
import io.netty.handler.codec.http.HttpMethod;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Run and build logs as text: {@code GET /v2/actor-runs/{runId}/log}, {@code /v2/actor-builds/{buildId}/log},
 * {@code /v2/logs/{runOrBuildId}} and {@code /v2/actors/{actorId}/runs/last/log} (also under {@code /v2/acts/}). With
 * {@code stream=1} the response follows the live output and ends when the run or build ends (apify-client's
 * {@code call()} waits for that end, apify-api.md rule 6). Without {@code raw=1} ANSI escapes are stripped. actord's
 * own {@code tail=N} and {@code since=TIME} (RFC 3339) pick the last lines or those written since a time
 * ({@link LogWindow}), so {@code actorctl runs logs --tail} reads no more than it prints.
 */
public final class LogRoutes {
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]");

    private final ApiResources resources;
    private final RunLogs logs;

    public LogRoutes(ApiResources resources, RunLogs logs) {
        this.resources = resources;
        this.logs = logs;
    }

    public void register(Router router) {
        router.add(HttpMethod.GET, "/v2/actor-runs/{runId}/log", this::logOfRun)
                .add(HttpMethod.GET, "/v2/logs/{runId}", r -> log(r, resources.logOwner(r, r.pathParam("runId"))))
                .add(HttpMethod.GET, "/v2/actor-builds/{buildId}/log", r -> log(r, resources.build(r,
                        r.pathParam("buildId"), Need.READ).id()));
        for (String p : ActorRoutes.PREFIXES) {
            router.add(HttpMethod.GET, p + "/{actorId}/runs/last/log", r -> log(r, resources.lastRun(r).id()));
        }
    }

    private CompletableFuture<ApiResponse> logOfRun(ApiRequest r) {
        return log(r, resources.run(r, r.pathParam("runId"), Need.READ).id());
    }

    /** The log of run {@code runId} (which the caller may read), as {@code GET …/log} answers it. */
    CompletableFuture<ApiResponse> log(ApiRequest r, String runId) {
        boolean raw = r.queryBool("raw");
        boolean download = r.queryBool("download");
        LogWindow window = window(r);
        ApiResponse response;
        if (r.queryBool("stream")) {
            response = new ApiResponse.Streamed(200, ApiResponse.TEXT, sink -> follow(runId, raw, window, sink), Map.of());
        } else {
            byte[] text = window.apply(logs.read(runId));
            response = ApiResponse.bytes(200, ApiResponse.TEXT, raw ? text : strip(text));
        }
        if (download) {
            response = response.withHeader("Content-Disposition", "attachment; filename=\"" + runId + ".log\"");
        }
        return CompletableFuture.completedFuture(response);
    }

    private static LogWindow window(ApiRequest r) {
        Optional<Instant> since = r.query("since").map(v -> {
            try {
                return OffsetDateTime.parse(v).toInstant();
            } catch (DateTimeParseException e) {
                throw ApiException.invalidValue("parameter 'since' must be an RFC 3339 time such as"
                        + " 2026-12-07T09:00:00Z, got '" + v + "'");
            }
        });
        Optional<Long> tail = StorageRequests.nonNegative(r, "tail");
        return new LogWindow(tail.map(OptionalLong::of).orElse(OptionalLong.empty()), since);
    }

    private void follow(String runId, boolean raw, LogWindow window, ResponseSink sink) {
        LogFollower follower = new LogFollower() {
            @Override
            public void chunk(byte[] bytes) {
                sink.write(raw ? bytes : strip(bytes));
            }

            @Override
            public void end() {
                sink.close();
            }
        };
        LogFollower windowed = window.following(follower);
        sink.onAbandoned(() -> logs.unfollow(runId, windowed));
        logs.follow(runId, windowed);
    }

    private static byte[] strip(byte[] text) {
        String s = new String(text, StandardCharsets.UTF_8);
        return s.indexOf('\u001B') < 0 ? text : ANSI.matcher(s).replaceAll("").getBytes(StandardCharsets.UTF_8);
    }
}
