package io.actord.daemon.run;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pay-per-event charges of a run (Apify's {@code POST /v2/actor-runs/{id}/charge}): how often each event was
 * charged ({@code chargedEventCounts}), and the idempotency keys of the latest charges, so a charge the client
 * retries with the same key counts once. actord prices nothing, so a charge costs 0 USD and
 * {@code maxTotalChargeUsd} never stops one. Immutable; stored in the run.
 *
 * @param eventCounts event name → times charged, in name order
 * @param recentKeys  the idempotency keys of the last {@value #KEPT_KEYS} charges, oldest first: a client retries
 *                    a charge within seconds, so older keys are forgotten to keep the stored run small
 */
public record RunCharges(Map<String, Long> eventCounts, List<String> recentKeys) {
    public static final RunCharges NONE = new RunCharges(Map.of(), List.of());
    static final int KEPT_KEYS = 1000;
    /** Distinct event names a run may charge; more is a 400 (they live in the stored run). */
    static final int MAX_EVENTS = 100;
    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_KEY_LENGTH = 200;

    public RunCharges {
        eventCounts = eventCounts == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(eventCounts));
        recentKeys = recentKeys == null ? List.of() : List.copyOf(recentKeys);
    }

    /**
     * These charges with {@code count} more of {@code eventName}; unchanged when {@code idempotencyKey} was
     * already charged.
     *
     * @throws ApiException 400 invalid-input for a blank or overlong event name or key, a count below 1, or
     *                      an event past {@value #MAX_EVENTS} distinct ones
     */
    public RunCharges charge(String eventName, long count, String idempotencyKey) {
        if (eventName == null || eventName.isBlank() || eventName.length() > MAX_NAME_LENGTH) {
            throw invalid("eventName must be a non-empty string of at most " + MAX_NAME_LENGTH
                    + " characters");
        }
        if (count < 1) {
            throw invalid("count must be 1 or more, got " + count);
        }
        if (idempotencyKey != null && idempotencyKey.length() > MAX_KEY_LENGTH) {
            throw invalid("the idempotency key must have at most " + MAX_KEY_LENGTH + " characters");
        }
        if (idempotencyKey != null && recentKeys.contains(idempotencyKey)) {
            return this;
        }
        if (!eventCounts.containsKey(eventName) && eventCounts.size() >= MAX_EVENTS) {
            throw invalid("a run can charge at most " + MAX_EVENTS + " different events");
        }
        Map<String, Long> counts = new TreeMap<>(eventCounts);
        counts.merge(eventName, count, (a, b) -> a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b);
        List<String> keys = new ArrayList<>(recentKeys);
        if (idempotencyKey != null) {
            keys.add(idempotencyKey);
            if (keys.size() > KEPT_KEYS) {
                keys.subList(0, keys.size() - KEPT_KEYS).clear();
            }
        }
        return new RunCharges(counts, keys);
    }

    private static ApiException invalid(String message) {
        return new ApiException(ErrorType.INVALID_INPUT, message);
    }
}
