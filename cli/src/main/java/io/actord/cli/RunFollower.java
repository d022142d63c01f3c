package io.actord.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.http.HttpResponse;
import io.actord.cli.output.Humanize;
import io.actord.cli.output.Output;
import io.actord.cli.output.StatusLine;
import io.actord.cli.output.Style;
import io.actord.cli.view.Fields;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Watches a run to its end: long-polls {@code GET /v2/actor-runs/{id}?waitForFinish} (the daemon holds
 * the request until the run ends or the wait elapses, apify-api.md rule 5) and follows its log
 * ({@code ?stream=1}, which the daemon ends when the run ends, rule 6). On a terminal the status line
 * is refreshed each second with the status, the elapsed time and the memory in use.
 */
public final class RunFollower {
    /** How long a followed log may go on after the run ended before the CLI stops reading it. */
    static final Duration LOG_DRAIN = Duration.ofSeconds(5);

    private final DaemonClient client;
    private final Output out;

    public RunFollower(DaemonClient client, Output out) {
        this.client = client;
        this.out = out;
    }

    /** Returns the daemon's answer that showed the run finished. */
    public ApiResponse await(String runId, StatusLine line) {
        long waitSecs = line.isLive() ? 1 : 60;
        while (true) {
            ApiResponse answer = client.get(ApiPaths.run(runId).param("waitForFinish", waitSecs));
            JsonNode run = answer.data();
            show(run, line);
            if (RunExit.isTerminal(run.path("status").asText())) {
                return answer;
            }
        }
    }

    /** Shows {@code run} on the line; the clock keeps running between polls. */
    public void show(JsonNode run, StatusLine line) {
        String id = Fields.text(run, "id");
        String status = run.path("status").asText("?");
        Instant started = Fields.instant(run, "startedAt");
        Long used = Fields.number(run.path("stats"), "memCurrentBytes");
        Long limit = Fields.number(run.path("options"), "memoryMbytes");
        String memory = (used == null ? "" : Humanize.bytes(used)) + (limit == null ? "" : " of " + limit + " MB");
        line.show(style -> "run " + id + "  " + style.apply(Style.status(status)) + "  "
                + (started == null ? "" : Humanize.clock(Duration.between(started, out.now())) + "  ")
                + style.apply(memory, Style.Tone.DIM));
    }

    /** Starts copying the run's log into {@code sink} on its own thread. */
    public LogStream follow(String runId, boolean raw, StatusLine sink) {
        HttpResponse response = client.open(ApiPaths.run(runId).literal("/log").flag("stream", true).flag("raw", raw));
        LogStream stream = new LogStream(response, sink);
        stream.thread.start();
        return stream;
    }

    /**
     * Which part of a log to print: the last {@code tail} lines, the lines since {@code since}; null for no such limit.
     */
    public record Window(Integer tail, Instant since) {
    }

    /** Copies the log to stdout, following it with {@code follow}; stops early if stdout's reader went away. */
    public void print(String runId, boolean raw, boolean follow, Window window) {
        copyToOut(client.open(ApiPaths.run(runId).literal("/log").flag("stream", follow).flag("raw", raw)
                .param("tail", window.tail()).param("since", window.since())), "the log of run " + runId);
    }

    /** Copies a log {@code response} to stdout until it ends or stdout's reader goes away, then closes it. */
    public void copyToOut(HttpResponse response, String what) {
        try (response) {
            InputStream body = response.body();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = body.read(buffer)) > 0) {
                out.out().write(buffer, 0, n);
                out.out().flush();
                if (out.outClosed()) {
                    return;
                }
            }
        } catch (IOException e) {
            throw new CliException("read " + what + ": " + e.getMessage(), e);
        }
    }

    private interface Chunks {
        void accept(byte[] buffer, int length);
    }

    private static void copy(InputStream in, Chunks sink) throws IOException {
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) > 0) {
            sink.accept(buffer, n);
        }
    }

    /** A log being followed on a background thread. */
    public static final class LogStream {
        private final HttpResponse response;
        private final Thread thread;
        private volatile IOException failure;
        private volatile boolean stopping;

        private LogStream(HttpResponse response, StatusLine sink) {
            this.response = response;
            this.thread = new Thread(() -> {
                try (response) {
                    copy(response.body(), (b, n) -> sink.above(b, 0, n));
                } catch (IOException e) {
                    if (!stopping) {
                        failure = e;
                    }
                }
            }, "log-follower");
            this.thread.setDaemon(true);
        }

        /**
         * Waits for the log to end (the daemon ends it with the run) for at most {@link #LOG_DRAIN}, then
         * stops reading. Returns why the stream broke, if it did.
         */
        public Optional<IOException> finish() {
            try {
                thread.join(LOG_DRAIN.toMillis());
                if (thread.isAlive()) {
                    stopping = true;
                    response.close();
                    thread.join(LOG_DRAIN.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                return Optional.of(e);
            }
            return Optional.ofNullable(failure);
        }
    }
}
