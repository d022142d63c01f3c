/**
 * actord as a systemd service: readiness, status, stop and watchdog notifications over
 * {@code $NOTIFY_SOCKET} ({@link io.actord.daemon.systemd.SdNotify}) and the listening sockets systemd
 * passes in ({@link io.actord.daemon.systemd.ListenFds}). Without systemd both are empty and the daemon
 * behaves as it always did. The units and the reasons behind them are in systemd/README.md.
 */
package io.actord.daemon.systemd;
