package io.actord.daemon.run;

import io.actord.daemon.storage.DatasetItemCap;
import io.actord.daemon.storage.StorageMeta;

import java.util.OptionalLong;

/**
 * A run's {@code maxItems} as the cap of its default dataset: pushes past it are dropped
 * ({@link io.actord.daemon.storage.DatasetStore#push}). Other datasets, a run's named ones included, have none.
 */
public final class RunItemCap implements DatasetItemCap {
    private final RunRepository runs;

    public RunItemCap(RunRepository runs) {
        this.runs = runs;
    }

    @Override
    public OptionalLong of(StorageMeta dataset) {
        if (dataset.actRunId() == null) {
            return OptionalLong.empty();
        }
        return runs.get(dataset.actRunId()).filter(run -> dataset.id().equals(run.defaultDatasetId()))
                .map(run -> run.options().maxItems()).map(OptionalLong::of).orElse(OptionalLong.empty());
    }
}
