package io.actord.daemon.run;

import java.util.Optional;

/** What a metamorph asks for: the target's build (empty: its default run options' build) and new input. */
public record MetamorphRequest(Optional<String> build, byte[] input, Optional<String> contentType) {
}
