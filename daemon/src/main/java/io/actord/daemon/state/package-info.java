/**
 * The daemon's state store, which knows bytes, codecs and tables but no domain type: one RocksDB database with a
 * column family per table. {@link io.actord.daemon.state.StateStore} is the interface (a second backend would
 * implement it and pass the contract tests), {@link io.actord.daemon.state.RocksStateStore} owns the RocksDB handles; a
 * {@link io.actord.daemon.state.Table} is a typed view of one column family, declared as a
 * {@link io.actord.daemon.state.TableDef} by the package whose records it holds ({@code run.RunTables},
 * {@code storage.StorageTables}, …, joined in {@code ActorDaemon.TABLES} for
 * {@code RocksStateStore.open}). Keys are big-endian
 * ({@link io.actord.daemon.state.Keys}) so byte order is the order the API scans in; a composite key is a record
 * of its domain package with a {@link io.actord.daemon.state.KeyCodec} in that layout, selected by
 * {@link io.actord.daemon.state.KeyPrefix} and {@link io.actord.daemon.state.KeyRange} (the run tables still
 * use raw {@code byte[]} keys and {@link io.actord.daemon.state.Scan}). Values are JSON
 * ({@link io.actord.daemon.state.JsonCodec}).
 */
package io.actord.daemon.state;
