package io.actord.daemon.build;

import java.util.List;
import java.util.Optional;

/**
 * A parsed Dockerfile.
 *
 * @param escape     the escape character ({@code \} or, after {@code # escape=`}, a backtick)
 * @param globalArgs the {@code ARG} instructions before the first {@code FROM}: their values are usable in
 *                   {@code FROM} lines only, unless a stage declares the ARG again
 * @param stages     the stages in order; the last one is the image built
 * @param warnings   what Docker would warn about (ignored directives, empty continuation lines)
 */
public record Dockerfile(char escape, List<Instruction> globalArgs, List<Stage> stages, List<String> warnings) {
    public Dockerfile {
        globalArgs = List.copyOf(globalArgs);
        stages = List.copyOf(stages);
        warnings = List.copyOf(warnings);
    }

    /** The stage called {@code name} (case-insensitive), or the stage at that index when {@code name} is a number. */
    public Optional<Stage> stage(String name) {
        if (name.chars().allMatch(Character::isDigit) && !name.isEmpty() && name.length() < 6) {
            int index = Integer.parseInt(name);
            return index < stages.size() ? Optional.of(stages.get(index)) : Optional.empty();
        }
        return stages.stream().filter(s -> s.name().filter(name::equalsIgnoreCase).isPresent()).findFirst();
    }
}
