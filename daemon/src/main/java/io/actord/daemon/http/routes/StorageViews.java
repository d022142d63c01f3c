package io.actord.daemon.http.routes;

import io.actord.daemon.api.dto.DatasetDto;
import io.actord.daemon.api.dto.KeyValueStoreDto;
import io.actord.daemon.api.dto.RequestQueueDto;
import io.actord.daemon.access.Caller;
import io.actord.daemon.storage.StorageMeta;

/** Stored storage metadata → Apify's storage objects. */
final class StorageViews {
    private static final String GENERAL_ACCESS = "FOLLOW_USER_SETTING";

    private StorageViews() {
    }

    static KeyValueStoreDto keyValueStore(StorageMeta m, Caller caller) {
        return new KeyValueStoreDto(m.id(), m.name(), m.userId(), username(m, caller), m.createdAt(), m.modifiedAt(),
                m.accessedAt(), m.actId(), m.actRunId(), GENERAL_ACCESS);
    }

    static DatasetDto dataset(StorageMeta m, Caller caller) {
        return new DatasetDto(m.id(), m.name(), m.userId(), username(m, caller), m.createdAt(), m.modifiedAt(),
                m.accessedAt(), m.counts().itemCount(), m.counts().cleanItemCount(), m.actId(), m.actRunId(),
                GENERAL_ACCESS);
    }

    static RequestQueueDto requestQueue(StorageMeta m, Caller caller) {
        StorageMeta.Counts c = m.counts();
        return new RequestQueueDto(m.id(), m.name(), m.userId(), username(m, caller), m.createdAt(), m.modifiedAt(),
                m.accessedAt(), c.itemCount(), c.handledCount(), c.itemCount() - c.handledCount(),
                c.hadMultipleClients(), m.actId(), m.actRunId(), GENERAL_ACCESS);
    }

    private static String username(StorageMeta m, Caller caller) {
        return caller.is(m.userId()) ? caller.username() : null;
    }
}
