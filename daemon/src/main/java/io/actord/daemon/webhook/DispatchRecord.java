package io.actord.daemon.webhook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the API shows of one dispatch (apify-client's {@code WebhookDispatch}): the event, the webhook it was for,
 * and each call made so far. Kept after it is delivered or given up, deleted with its webhook.
 *
 * @param status    {@code ACTIVE} (calls are still to come), {@code SUCCEEDED} or {@code FAILED}
 * @param eventData the event's ids ({@code actorId}, {@code actorRunId}, {@code actorTaskId})
 */
public record DispatchRecord(int schemaVersion, String id, String userId, String webhookId, Instant createdAt,
                             String status, String eventType, List<Call> calls, String requestUrl, boolean isAdHoc,
                             Map<String, String> eventData) {
    public static final int SCHEMA = 1;
    public static final String ACTIVE = "ACTIVE";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";

    /** One HTTP request of a dispatch: its answer's status, or why there was none. */
    public record Call(Instant startedAt, Instant finishedAt, String errorMessage, Integer responseStatus,
                       String responseBody) {
    }

    static DispatchRecord started(String id, Webhook w, String eventType, Map<String, String> eventData,
                                  Instant now) {
        return new DispatchRecord(SCHEMA, id, w.userId(), w.id(), now, ACTIVE, eventType, List.of(), w.requestUrl(),
                w.isAdHoc(), Map.copyOf(eventData));
    }

    /** With one more {@code call}, and {@code status} after it. */
    DispatchRecord called(Call call, String next) {
        List<Call> all = new ArrayList<>(calls);
        all.add(call);
        return new DispatchRecord(schemaVersion, id, userId, webhookId, createdAt, next, eventType, List.copyOf(all),
                requestUrl, isAdHoc, eventData);
    }

    /** When the last call ended, or null before the first. */
    Instant finishedAt() {
        return calls.isEmpty() ? null : calls.get(calls.size() - 1).finishedAt();
    }

    /** The wire shape. */
    public Map<String, Object> view() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", id);
        v.put("userId", userId);
        v.put("webhookId", webhookId);
        v.put("createdAt", createdAt);
        v.put("status", status);
        v.put("eventType", eventType);
        v.put("calls", calls);
        v.put("webhook", Map.of("requestUrl", requestUrl, "isAdHoc", isAdHoc));
        v.put("eventData", eventData);
        return v;
    }
}
