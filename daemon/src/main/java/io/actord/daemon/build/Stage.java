package io.actord.daemon.build;

import java.util.List;
import java.util.Optional;

/**
 * A build stage: a {@code FROM} and the instructions up to the next one.
 *
 * @param index        0-based position in the Dockerfile ({@code COPY --from=0} names the first stage)
 * @param name         the {@code AS} name, lower-cased as Docker does
 * @param base         the base image reference as written (global ARGs are substituted by {@link StageState})
 * @param from         the {@code FROM} instruction itself
 * @param instructions the instructions after {@code FROM}
 */
public record Stage(int index, Optional<String> name, String base, Instruction from, List<Instruction> instructions) {
    public Stage {
        instructions = List.copyOf(instructions);
    }

    /** The {@code FROM --platform} value as written, if any. */
    public Optional<String> platform() {
        return from.flag("platform");
    }
}
