package io.actord.daemon.build;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One parsed instruction, before variable substitution.
 * <p>The arguments by instruction: {@code RUN}, {@code CMD}, {@code ENTRYPOINT}, {@code SHELL}: the exec form's
 * strings ({@code json}) or one shell-form string; {@code ENV}, {@code LABEL}: key, value, key, value... with the
 * values' quotes kept (substitution removes them); {@code ARG}: the words {@code name} or {@code name=default};
 * {@code COPY}, {@code ADD}: sources then the destination; {@code HEALTHCHECK}: {@code NONE}, or {@code CMD} followed
 * by the command as for {@code CMD}; the others: their words.
 *
 * @param line  the 1-based line the instruction starts on
 * @param flags the {@code --name=value} flags; a bare {@code --name} has the value {@code "true"}
 * @param text  the instruction's text as written (continuations joined)
 */
public record Instruction(Keyword keyword, int line, List<String> args, boolean json, Map<String, String> flags,
                          String text) {
    public Instruction {
        args = List.copyOf(args);
        flags = Map.copyOf(flags);
    }

    public Optional<String> flag(String name) {
        return Optional.ofNullable(flags.get(name));
    }
}
