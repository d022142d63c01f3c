package io.actord.daemon.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.actord.daemon.common.Json;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a host says of itself in etcd, at {@code /actord/hosts/<hostId>} under its lease (the value is this as JSON;
 * unknown fields are ignored, so later versions may add some).
 *
 * @param apiUrl         where the host's API answers (its TCP listener)
 * @param capacityMbytes the memory its runs may have together
 * @param freeMbytes     what of that no run holds now
 * @param drained        whether the host was drained ({@code actorctl daemon drain}): it takes no new runs or builds
 *                       (absent, as a host of an earlier version writes it: false)
 * @param updatedAt      when the host last wrote the record
 */
public record HostRecord(String hostId, String apiUrl, long capacityMbytes, long freeMbytes, boolean drained,
                         Instant updatedAt) {
    byte[] toJson() {
        try {
            return Json.MAPPER.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("write host record " + hostId + ": " + e.getMessage(), e);
        }
    }

    /**
     * @throws IllegalArgumentException when {@code json} is not a host record (another writer's key under the
     *                                  prefix): the caller leaves it out
     */
    static HostRecord fromJson(byte[] json) {
        try {
            HostRecord record = Json.MAPPER.readValue(json, HostRecord.class);
            if (record.hostId() == null || record.hostId().isEmpty()) {
                throw new IllegalArgumentException("no hostId in " + new String(json, StandardCharsets.UTF_8));
            }
            return record;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a host record: " + e.getMessage(), e);
        }
    }

    /** The same host with other free memory or drained otherwise, written now. */
    HostRecord with(long free, boolean isDrained, Instant now) {
        return new HostRecord(hostId, apiUrl, capacityMbytes, free, isDrained, now);
    }

    /** The live host {@code hostId} among {@code hosts}, if it is one (a null id is none). */
    static Optional<HostRecord> find(List<HostRecord> hosts, String hostId) {
        return hosts.stream().filter(h -> h.hostId().equals(hostId)).findFirst();
    }
}
