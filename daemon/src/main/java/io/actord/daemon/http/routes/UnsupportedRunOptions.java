package io.actord.daemon.http.routes;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.http.ApiRequest;

/**
 * Apify run options actord does not act on, checked where a run starts or is resurrected. An option whose
 * effect a caller relies on (a failed run restarted, a token with fewer permissions) answers 400 naming it
 * rather than being dropped; its harmless value is accepted. {@code maxItems} and {@code maxTotalChargeUsd}
 * only cap what a user is charged, and nothing is charged here: they are accepted and ignored (README, "Not
 * (yet) like the Apify platform").
 */
final class UnsupportedRunOptions {
    private UnsupportedRunOptions() {
    }

    /** @throws ApiException (400 invalid-value) for {@code restartOnError=true} or a limited permission level */
    static void reject(ApiRequest r) {
        if (r.queryBool("restartOnError")) {
            throw new ApiException(ErrorType.INVALID_VALUE,
                    "restartOnError is not supported: actord does not restart a failed run");
        }
        r.query("forcePermissionLevel").filter(level -> !level.equals("FULL_PERMISSIONS")).ifPresent(level -> {
            throw new ApiException(ErrorType.INVALID_VALUE, "forcePermissionLevel '" + level
                    + "' is not supported: a run's token always has its user's full permissions");
        });
    }
}
