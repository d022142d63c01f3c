package io.actord.daemon.http.routes;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.http.ApiRequest;

/**
 * Apify run options actord does not act on, checked where a run starts or is resurrected. An option whose
 * effect a caller relies on (a token with fewer permissions) answers 400 naming it rather than being dropped;
 * its harmless value is accepted.
 */
final class UnsupportedRunOptions {
    private UnsupportedRunOptions() {
    }

    /** @throws ApiException (400 invalid-value) for a limited permission level */
    static void reject(ApiRequest r) {
        r.query("forcePermissionLevel").filter(level -> !level.equals("FULL_PERMISSIONS")).ifPresent(level -> {
            throw new ApiException(ErrorType.INVALID_VALUE, "forcePermissionLevel '" + level
                    + "' is not supported: a run's token always has its user's full permissions");
        });
    }
}
