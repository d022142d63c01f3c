package io.actord.daemon.api.dto;

import java.time.Instant;

/**
 * A user in actord's admin API ({@code /v2/actord/users}).
 *
 * @param memoryLimitMbytes       the most memory the user's active runs may have together
 * @param memoryLimitIsDefault    whether that is the daemon's default rather than the user's own
 * @param memoryUsedMbytes        the memory of the user's active runs now
 * @param storageLimitMbytes      the most the user's storages may hold together
 * @param storageLimitIsDefault   whether that is the daemon's default rather than the user's own
 * @param storageUsedBytes        what the user's storages hold now (records, items, requests)
 */
public record UserDto(String id, String username, Instant createdAt, int memoryLimitMbytes,
                      boolean memoryLimitIsDefault, long memoryUsedMbytes, long storageLimitMbytes,
                      boolean storageLimitIsDefault, long storageUsedBytes) {
}
