package io.actord.daemon.http.routes;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.run.StartLimits;

import java.util.Optional;

/** The {@code maxItems}, {@code maxTotalChargeUsd} and {@code restartOnError} query parameters of a run start. */
final class StartLimitParams {
    private StartLimitParams() {
    }

    /** @throws ApiException 400 invalid-value for a value that is not a number (or boolean), or is negative */
    static StartLimits of(ApiRequest r) {
        Optional<Boolean> restartOnError = r.query("restartOnError").isPresent()
                ? Optional.of(r.queryBool("restartOnError")) : Optional.empty();
        return new StartLimits(r.queryLong("maxItems"), r.query("maxTotalChargeUsd").map(StartLimitParams::usd),
                restartOnError);
    }

    private static double usd(String value) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new ApiException(ErrorType.INVALID_VALUE, "parameter 'maxTotalChargeUsd' must be a number, got '"
                    + value + "'");
        }
    }
}
