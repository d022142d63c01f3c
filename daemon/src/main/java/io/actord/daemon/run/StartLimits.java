package io.actord.daemon.run;

import io.actord.daemon.api.ApiException;

import java.util.Optional;

/**
 * The run options of a start request that bound a run rather than size it: {@code maxItems},
 * {@code maxTotalChargeUsd} and {@code restartOnError}; empty values fall back to the actor's defaults (only
 * restartOnError has one) or to none.
 */
public record StartLimits(Optional<Long> maxItems, Optional<Double> maxTotalChargeUsd,
                          Optional<Boolean> restartOnError) {
    public static final StartLimits NONE = new StartLimits(Optional.empty(), Optional.empty(), Optional.empty());

    /** @throws ApiException 400 invalid-value for a negative or not finite limit */
    public StartLimits {
        maxItems.filter(n -> n < 0).ifPresent(n -> {
            throw ApiException.invalidValue("maxItems must be 0 or more, got " + n);
        });
        maxTotalChargeUsd.filter(usd -> usd < 0 || !Double.isFinite(usd)).ifPresent(usd -> {
            throw ApiException.invalidValue("maxTotalChargeUsd must be a number of 0 or more, got " + usd);
        });
    }
}
