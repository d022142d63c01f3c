/**
 * The API's vocabulary, free of Netty and RocksDB: {@link io.actord.daemon.api.ApiException} with its
 * {@link io.actord.daemon.api.ErrorType} (the one mapping from a failure to an HTTP status and Apify error
 * type), and the wire records in {@code api.dto}.
 */
package io.actord.daemon.api;
