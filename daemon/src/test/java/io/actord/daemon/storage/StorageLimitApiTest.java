package io.actord.daemon.storage;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestDaemon.Api;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 20 defect 12 over the API: many large records fill a user's storage limit, then the platform's 402
 * answers and nothing more is stored; deletes give the room back; the admin sets a user's own limit.
 */
class StorageLimitApiTest {
    private static final int MB = 1024 * 1024;
    private static final String ONE_MB_JSON = "\"" + "x".repeat(MB) + "\"";

    @StartDaemon(flags = {"--user-storage-limit-mb", "8"})
    TestDaemon daemon;

    @Test
    void shouldRefuseTheAttackAtTheLimitAndFreeWhatADeleteGivesBack() throws Exception {
        Api api = daemon.api();
        String store = api.post("/v2/key-value-stores", "").expect(201).data().get("id").asText();
        int stored = 0;
        for (int i = 0; i < 40; i++) {
            TestDaemon.Response r = api.put("/v2/key-value-stores/" + store + "/records/r" + i, ONE_MB_JSON);
            if (r.status() == 201) {
                stored++;
            } else {
                assertEquals(402, r.status(), r.text());
                assertEquals("storage-limit-exceeded", r.errorType());
                assertTrue(r.json().get("error").get("message").asText().contains("storage limit of 8 MB"), r.text());
                assertEquals(404, api.get("/v2/key-value-stores/" + store + "/records/r" + i).status());
            }
        }
        assertEquals(7, stored, "7 records of 1 MiB and a little fit in 8 MiB");
        assertEquals(7, api.get("/v2/key-value-stores/" + store + "/keys").expect(200).data().get("items").size());
        assertEquals(7L * (MB + 4), used("local"));

        api.delete("/v2/key-value-stores/" + store + "/records/r0").expect(204);
        api.put("/v2/key-value-stores/" + store + "/records/again", ONE_MB_JSON).expect(201);
        api.delete("/v2/key-value-stores/" + store).expect(204);
        assertEquals(0, used("local"), "deleting the store gave back all its bytes");
    }

    @Test
    void shouldApplyAUsersOwnLimitSetByTheAdmin() throws Exception {
        Api ann = daemon.user("ann");
        String store = ann.post("/v2/key-value-stores", "").expect(201).data().get("id").asText();
        JsonNode set = daemon.admin("PUT", "/v2/actord/users/ann", "{\"storageLimitMbytes\":1}").expect(200).data();
        assertEquals(1, set.get("storageLimitMbytes").asLong());
        assertFalse(set.get("storageLimitIsDefault").asBoolean());
        assertTrue(set.get("memoryLimitIsDefault").asBoolean(), "a PUT changes only the limits it names");
        assertEquals("storage-limit-exceeded",
                ann.put("/v2/key-value-stores/" + store + "/records/big", ONE_MB_JSON).expect(402).errorType());
        daemon.api().post("/v2/key-value-stores", "").expect(201);

        daemon.admin("PUT", "/v2/actord/users/ann", "{\"storageLimitMbytes\":null}").expect(200);
        ann.put("/v2/key-value-stores/" + store + "/records/big", ONE_MB_JSON).expect(201);
        JsonNode view = daemon.admin("GET", "/v2/actord/users/ann", null).expect(200).data();
        assertEquals(8, view.get("storageLimitMbytes").asLong());
        assertTrue(view.get("storageLimitIsDefault").asBoolean());
        assertEquals(MB + 2 + 3, view.get("storageUsedBytes").asLong());
    }

    private long used(String user) throws Exception {
        return daemon.admin("GET", "/v2/actord/users/" + user, null).expect(200).data().get("storageUsedBytes").asLong();
    }
}
