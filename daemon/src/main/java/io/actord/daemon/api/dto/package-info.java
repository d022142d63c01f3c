/**
 * Records for the wire, in Apify's shapes: what the API sends and accepts. No Netty, RocksDB or daemon
 * internals here, so a client could reuse them.
 */
package io.actord.daemon.api.dto;
