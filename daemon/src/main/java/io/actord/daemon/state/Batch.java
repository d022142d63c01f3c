package io.actord.daemon.state;

/**
 * Writes collected for one atomic {@link StateStore#write}. Only valid inside the callback that received
 * it; tables add to it with {@link Table#putInBatch}, {@link Table#deleteInBatch} and
 * {@link Table#deletePrefixInBatch}. Each implementation's tables accept only its own batches.
 */
public interface Batch {
}
