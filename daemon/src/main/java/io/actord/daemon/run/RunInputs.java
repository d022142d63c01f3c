package io.actord.daemon.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.actord.daemon.common.Json;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.storage.KvRecord;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/** The checks of a run command's inputs that are not a run option's own type (as {@link io.actord.daemon.runoptions.RunSize} is). */
final class RunInputs {
    private RunInputs() {
    }

    /**
     * Seconds, 0 = none. apify@3.7.2's {@code timeout: 'inherit'} sends milliseconds (apify-api.md §7), so
     * huge values are tolerated and capped rather than refused.
     */
    static int timeout(long secs) {
        if (secs < 0) {
            throw ApiException.invalidValue("timeout must be 0 (no timeout) or a number of seconds, got " + secs);
        }
        return (int) Math.min(secs, Integer.MAX_VALUE);
    }

    /** The INPUT record of a start request: none for an empty body; JSON must parse when it claims to be JSON. */
    static Optional<KvRecord> input(byte[] body, Optional<String> contentType) {
        if (body.length == 0) {
            return Optional.empty();
        }
        String type = contentType.orElse("application/json");
        if (type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            try {
                Json.MAPPER.readTree(body);
            } catch (JsonProcessingException e) {
                throw new ApiException(ErrorType.RUN_INPUT_BODY_NOT_VALID_JSON, "the input is not valid JSON: "
                        + e.getOriginalMessage());
            } catch (IOException e) {
                throw new IllegalStateException("parse run input", e);
            }
        }
        return Optional.of(new KvRecord(type, body));
    }
}
