/**
 * Run logs: each run's stdout and stderr, merged, every line prefixed with an ISO timestamp (apify-client's
 * log redirector drops text before the first timestamp), capped in size, stored as one file per run under
 * the state directory, and followed live by log streams until the run ends.
 */
package io.actord.daemon.runlog;
