package io.actord.daemon.run;

import java.util.Optional;

/**
 * What a start request asks for; empty values fall back to the actor's default run options.
 *
 * @param input       the request body, stored as the INPUT record when not empty
 * @param contentType the body's Content-Type, kept with the record
 */
public record StartRequest(Optional<String> build, Optional<Long> memoryMbytes, Optional<Long> timeoutSecs,
                           byte[] input, Optional<String> contentType, String origin,
                           Optional<RunNetwork> network, boolean admin) {
}
