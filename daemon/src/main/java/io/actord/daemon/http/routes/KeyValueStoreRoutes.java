package io.actord.daemon.http.routes;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Router;
import io.actord.daemon.storage.KvRecord;
import io.actord.daemon.storage.RunStorages;

/**
 * Reading a key-value store record: enough for a client to read a run's INPUT and OUTPUT. The storage
 * issue owns this class and grows it into the full key-value store API.
 */
public final class KeyValueStoreRoutes {
    private final RunStorages storages;

    public KeyValueStoreRoutes(RunStorages storages) {
        this.storages = storages;
    }

    public void register(Router router) {
        router.get("/v2/key-value-stores/{storeId}/records/{key}", r -> {
            String storeId = r.pathParam("storeId");
            String key = r.pathParam("key");
            if (storages.keyValueStore(storeId).isEmpty()) {
                throw ApiException.notFound("Key-value store", storeId);
            }
            KvRecord record = storages.record(storeId, key).orElseThrow(() -> ApiException.notFound("Record", key));
            return ApiResponse.bytes(200, record.contentType(), record.value());
        });
    }
}
