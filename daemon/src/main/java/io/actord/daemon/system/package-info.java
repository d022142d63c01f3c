/**
 * The daemon's disk as an admin sees it: {@code GET /v2/actord/system/df} (the space layers, runs, storages and the
 * state store take) and {@code POST /v2/actord/system/prune} (unused layers, runs finished before a time), built on
 * the layer store, run deletion and storage usage the daemon already keeps.
 */
package io.actord.daemon.system;
