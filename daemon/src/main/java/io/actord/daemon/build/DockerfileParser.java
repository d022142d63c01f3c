package io.actord.daemon.build;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses a Dockerfile into stages as Docker's BuildKit frontend does ({@link DockerfileLines} for the lines,
 * {@link InstructionParser} for each instruction), then checks what spans instructions: only {@code ARG} before the
 * first {@code FROM}, stage names, and {@code COPY --from} naming an earlier stage.
 * <p>Where actord is stricter than Docker, on purpose: a continuation open at the end of the file is an error; and
 * {@code COPY --from=NAME} must name an earlier stage unless NAME looks like an image reference (it has a
 * {@code :}, {@code /} or {@code @}), where Docker would also take a bare word such as {@code busybox} as an image
 * and only fail later, when pulling it.
 */
public final class DockerfileParser {
    private static final Pattern STAGE_NAME = Pattern.compile("[a-z][a-z0-9-_.]*");

    private DockerfileParser() {
    }

    public static Dockerfile parse(String text) {
        DockerfileLines lines = DockerfileLines.split(text);
        if (lines.lines().isEmpty()) {
            throw new DockerfileException("Dockerfile: file with no instructions");
        }
        InstructionParser parser = new InstructionParser(lines.escape());
        List<Instruction> globalArgs = new ArrayList<>();
        List<Stage> stages = new ArrayList<>();
        Map<String, Integer> stageNames = new HashMap<>();
        Instruction from = null;
        List<Instruction> body = new ArrayList<>();
        for (LogicalLine line : lines.lines()) {
            Instruction instruction = parser.parse(line);
            if (instruction.keyword() == Keyword.FROM) {
                if (from != null) {
                    stages.add(stage(stages.size(), from, body));
                }
                from = instruction;
                body = new ArrayList<>();
                stageName(instruction).ifPresent(n -> register(stageNames, n, stages.size(), instruction.line()));
            } else if (from == null) {
                if (instruction.keyword() != Keyword.ARG) {
                    throw DockerfileException.at(instruction.line(), instruction.keyword()
                            + " before the first FROM (only ARG may come before it)");
                }
                globalArgs.add(instruction);
            } else {
                checkCopyFrom(instruction, stages.size(), stageNames);
                body.add(instruction);
            }
        }
        if (from == null) {
            throw DockerfileException.at(lines.lines().get(lines.lines().size() - 1).startLine(),
                    "no FROM instruction: a Dockerfile must have at least one stage");
        }
        stages.add(stage(stages.size(), from, body));
        return new Dockerfile(lines.escape(), globalArgs, stages, lines.warnings());
    }

    private static Stage stage(int index, Instruction from, List<Instruction> body) {
        return new Stage(index, stageName(from), from.args().get(0), from, body);
    }

    /** {@code FROM image} or {@code FROM image AS name}; the name lower-cased. */
    private static Optional<String> stageName(Instruction from) {
        List<String> args = from.args();
        if (args.size() == 1) {
            return Optional.empty();
        }
        if (args.size() != 3 || !args.get(1).equalsIgnoreCase("as")) {
            throw DockerfileException.at(from.line(),
                    "FROM requires either one or three arguments (FROM image [AS name])");
        }
        String name = args.get(2).toLowerCase(Locale.ROOT);
        if (!STAGE_NAME.matcher(name).matches()) {
            throw DockerfileException.at(from.line(), "invalid name for build stage: \"" + args.get(2)
                    + "\", name can't start with a number or contain symbols");
        }
        return Optional.of(name);
    }

    private static void register(Map<String, Integer> names, String name, int index, int line) {
        if (names.putIfAbsent(name, index) != null) {
            throw DockerfileException.at(line, "duplicate stage name \"" + name + "\"");
        }
    }

    private static void checkCopyFrom(Instruction instruction, int current, Map<String, Integer> earlier) {
        Optional<String> from = instruction.flag("from");
        if (from.isEmpty() || from.get().contains("$")) {
            return;
        }
        String name = from.get().toLowerCase(Locale.ROOT);
        int line = instruction.line();
        if (name.isEmpty()) {
            throw DockerfileException.at(line, "COPY --from needs a stage name, a stage index or an image");
        }
        if (name.chars().allMatch(Character::isDigit)) {
            if (name.length() > 6 || Integer.parseInt(name) >= current) {
                throw DockerfileException.at(line, "COPY --from=" + name + ": stage " + name
                        + (name.length() <= 6 && Integer.parseInt(name) == current ? " is the current stage"
                        : " is not an earlier stage") + " (stages count from 0)");
            }
            return;
        }
        Integer index = earlier.get(name);
        if (index != null && index == current) {
            throw DockerfileException.at(line, "COPY --from=" + from.get() + ": a stage cannot copy from itself");
        }
        if (index == null && !looksLikeImage(name)) {
            throw DockerfileException.at(line, "COPY --from=" + from.get() + ": no earlier stage is named \""
                    + name + "\" (stages must come before the COPY; an image needs a tag, e.g. " + name + ":latest)");
        }
    }

    static boolean looksLikeImage(String name) {
        return name.contains(":") || name.contains("/") || name.contains("@");
    }
}
