package io.actord.daemon.storage;

import java.util.OptionalLong;

/**
 * The most items a dataset may hold, looked up as items are pushed: a run's default dataset holds at most
 * the run's {@code maxItems} (ACTOR_MAX_PAID_DATASET_ITEMS); other datasets have no cap. The run layer
 * provides it, so storage does not depend on runs.
 */
@FunctionalInterface
public interface DatasetItemCap {
    DatasetItemCap NONE = dataset -> OptionalLong.empty();

    /** The cap of {@code dataset}, or empty for none. */
    OptionalLong of(StorageMeta dataset);
}
