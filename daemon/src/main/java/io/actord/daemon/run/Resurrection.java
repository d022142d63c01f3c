package io.actord.daemon.run;

/** The options a resurrected run continues with (defaults are the run's previous ones, the build by number). */
record Resurrection(String buildId, String buildNumber, RunOptions options) {
}
