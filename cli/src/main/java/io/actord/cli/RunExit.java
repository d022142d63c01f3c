package io.actord.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The exit status of {@code run --wait} and {@code call}, from the finished run: 0 SUCCEEDED; FAILED exits
 * with the run's own exit code when it has one from 1 to 255 (as {@code docker run} does), else 1;
 * TIMED-OUT exits 124 (as timeout(1)); ABORTED 130 (as a shell reports an interrupted job).
 */
public final class RunExit {
    public static final int TIMED_OUT = 124;
    public static final int ABORTED = 130;

    private RunExit() {
    }

    public static int of(JsonNode run) {
        String status = run.path("status").asText("");
        return switch (status) {
            case "SUCCEEDED" -> 0;
            case "TIMED-OUT" -> TIMED_OUT;
            case "ABORTED" -> ABORTED;
            default -> {
                JsonNode code = run.get("exitCode");
                yield code != null && code.isInt() && code.asInt() >= 1 && code.asInt() <= 255 ? code.asInt() : 1;
            }
        };
    }

    /** Whether the status is final (apify-api.md §4: SUCCEEDED, FAILED, TIMED-OUT, ABORTED). */
    public static boolean isTerminal(String status) {
        return switch (status) {
            case "SUCCEEDED", "FAILED", "TIMED-OUT", "ABORTED" -> true;
            default -> false;
        };
    }
}
