/**
 * The daemon's own SLF4J backend: one line per event on stderr, with a timestamp in a terminal and with
 * syslog priorities ({@code <N>}) that journald understands when stderr is the journal, so
 * {@code journalctl -p warning -u actord} works; there, lines about a run carry its id as the journal field
 * {@code RUN_ID}. {@code --log-format json} makes each line one JSON object.
 */
package io.actord.daemon.logging;
