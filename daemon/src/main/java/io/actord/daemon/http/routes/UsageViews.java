package io.actord.daemon.http.routes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's {@code usage} and {@code usageUsd} in Apify's shape: one entry per platform usage item. actord meters
 * compute units only (the rest is 0) and bills nothing, so every price is 0.
 */
final class UsageViews {
    private static final List<String> ITEMS = List.of("ACTOR_COMPUTE_UNITS", "DATASET_READS", "DATASET_WRITES",
            "KEY_VALUE_STORE_READS", "KEY_VALUE_STORE_WRITES", "KEY_VALUE_STORE_LISTS", "REQUEST_QUEUE_READS",
            "REQUEST_QUEUE_WRITES", "DATA_TRANSFER_INTERNAL_GBYTES", "DATA_TRANSFER_EXTERNAL_GBYTES",
            "PROXY_RESIDENTIAL_TRANSFER_GBYTES", "PROXY_SERPS");

    private UsageViews() {
    }

    /** The run's usage: its compute units, every other item 0. */
    static Map<String, Double> usage(double computeUnits) {
        Map<String, Double> usage = zeros();
        usage.put("ACTOR_COMPUTE_UNITS", computeUnits);
        return usage;
    }

    /** What each usage item cost: nothing. */
    static Map<String, Double> usageUsd() {
        return zeros();
    }

    private static Map<String, Double> zeros() {
        Map<String, Double> m = new LinkedHashMap<>();
        ITEMS.forEach(item -> m.put(item, 0.0));
        return m;
    }
}
