package io.actord.daemon.build;

import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Which stages a build needs, as BuildKit decides: the last stage and, transitively, the stages it starts from
 * ({@code FROM builder}) or copies from ({@code COPY --from=builder}); the others are skipped. A {@code --from}
 * value is resolved with the global ARGs here; one that needs a stage's own ARGs is found when the COPY is applied,
 * and its stage built then.
 */
final class StageSelection {
    private StageSelection() {
    }

    /** The indexes of the stages to build, in Dockerfile order. */
    static TreeSet<Integer> needed(Dockerfile dockerfile, BuildArgs args) {
        TreeSet<Integer> needed = new TreeSet<>();
        add(dockerfile, args, dockerfile.stages().size() - 1, needed);
        return needed;
    }

    private static void add(Dockerfile dockerfile, BuildArgs args, int index, TreeSet<Integer> needed) {
        if (!needed.add(index)) {
            return;
        }
        Stage stage = dockerfile.stages().get(index);
        StageState.start(dockerfile, stage, args).baseStage().ifPresent(i -> add(dockerfile, args, i, needed));
        for (Instruction instruction : stage.instructions()) {
            Optional<String> from = instruction.flag("from");
            if (from.isEmpty() || (instruction.keyword() != Keyword.COPY && instruction.keyword() != Keyword.ADD)) {
                continue;
            }
            String name;
            try {
                name = args.substitute(from.get(), args.global(), instruction).toLowerCase(Locale.ROOT);
            } catch (DockerfileException e) {
                continue;
            }
            dockerfile.stage(name).filter(s -> s.index() < index).ifPresent(s -> add(dockerfile, args, s.index(),
                    needed));
        }
    }

    /** How many steps the needed stages have: each FROM and each instruction after it. */
    static int steps(Dockerfile dockerfile, TreeSet<Integer> needed) {
        return needed.stream().mapToInt(i -> 1 + dockerfile.stages().get(i).instructions().size()).sum();
    }
}
