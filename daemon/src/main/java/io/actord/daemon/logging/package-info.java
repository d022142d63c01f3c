/**
 * The daemon's own SLF4J backend: one line per event on stderr, with a timestamp in a terminal and with
 * syslog priorities ({@code <N>}) that journald understands when stderr is the journal, so
 * {@code journalctl -p warning -u actord} works.
 */
package io.actord.daemon.logging;
