/**
 * The daemon's state: one RocksDB database with a column family per table. {@link io.actord.daemon.store.StateStore}
 * owns the handles; {@link io.actord.daemon.store.Table} is a typed view of one column family, declared once in
 * {@link io.actord.daemon.store.Tables} with its key layout. Keys are big-endian ({@link io.actord.daemon.store.Keys})
 * so byte order is the order the API scans in; values are JSON ({@link io.actord.daemon.store.JsonCodec}).
 */
package io.actord.daemon.store;
