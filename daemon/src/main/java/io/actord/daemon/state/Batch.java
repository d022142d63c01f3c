package io.actord.daemon.state;

/**
 * Writes collected for one atomic {@link StateStore#write}. Only valid inside the callback that received
 * it; tables add to it with {@link Table#putInBatch}, {@link Table#deleteInBatch} and
 * {@link Table#deletePrefixInBatch}. Each implementation's tables accept only its own batches.
 */
public interface Batch {
    /**
     * Signals {@code payload} (an id: keep it small) on {@code channel} to the processes listening on the store's
     * {@link StateStore#signals()}, when and only if this batch commits. A store no other process shares sends
     * nothing.
     */
    void signal(String channel, String payload);
}
