package io.actord.daemon.build;

import io.actord.daemon.build.ResolvedInstruction.CopySource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * What a stage has accumulated while the builder walks it: ENV, ARG values, working directory, user and shell. Each
 * {@link #apply} substitutes variables where Docker does (ADD COPY ENV EXPOSE FROM LABEL STOPSIGNAL USER VOLUME WORKDIR
 * and, as BuildKit does, ARG defaults; not RUN, CMD, ENTRYPOINT, SHELL, HEALTHCHECK, whose shell does its own), then
 * updates the state and returns the {@link ResolvedInstruction} to execute. ENV wins over an ARG of the same name;
 * every variable of one instruction sees the values from before it ({@code ENV a=1 b=$a} gives b the old a).
 * Not thread-safe: one builder walks one stage.
 */
public final class StageState {
    private static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");
    private static final Pattern PORT = Pattern.compile("[0-9]+(-[0-9]+)?(/(?i:tcp|udp|sctp))?");
    private static final Pattern CHMOD = Pattern.compile("[0-7]{3,4}");
    private static final Pattern SIGNAL = Pattern.compile("(SIG)?[A-Z][A-Z0-9]*([+-][0-9]+)?|[0-9]+");

    private final Dockerfile dockerfile;
    private final Stage stage;
    private final BuildArgs buildArgs;
    private final String base;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Map<String, String> args = new LinkedHashMap<>();
    private String workdir = "/";
    private Optional<String> user = Optional.empty();
    private List<String> shell = DEFAULT_SHELL;

    private StageState(Dockerfile dockerfile, Stage stage, BuildArgs buildArgs) {
        this.dockerfile = dockerfile;
        this.stage = stage;
        this.buildArgs = buildArgs;
        this.base = buildArgs.substitute(stage.base(), buildArgs.global(), stage.from());
        if (base.isEmpty()) {
            throw DockerfileException.at(stage.from().line(), "base name (" + stage.base() + ") should not be blank");
        }
    }

    /** The state at the start of {@code stage}: its FROM reference resolved with the global ARGs. */
    public static StageState start(Dockerfile dockerfile, Stage stage, BuildArgs buildArgs) {
        return new StageState(dockerfile, stage, buildArgs);
    }

    /** The base image reference after substitution (may name an earlier stage, see {@link #baseStage()}). */
    public String base() {
        return base;
    }

    /** The {@code FROM --platform} value after substitution with the global ARGs ({@code $BUILDPLATFORM}). */
    public Optional<String> platform() {
        return stage.platform().map(p -> buildArgs.substitute(p, buildArgs.global(), stage.from()));
    }

    /** The earlier stage this stage starts from ({@code FROM builder}), if the base names one. */
    public Optional<Integer> baseStage() {
        return dockerfile.stages().stream().limit(stage.index())
                .filter(s -> s.name().filter(base::equalsIgnoreCase).isPresent()).map(Stage::index).findFirst();
    }

    /** Starts from the base image's (or base stage's) config: its environment, working directory and user. */
    public void inherit(Map<String, String> baseEnv, String baseWorkdir, Optional<String> baseUser) {
        env.putAll(baseEnv);
        workdir = baseWorkdir.isEmpty() ? "/" : baseWorkdir;
        user = baseUser.filter(u -> !u.isEmpty());
    }

    public Map<String, String> env() {
        return Collections.unmodifiableMap(env);
    }

    public Map<String, String> args() {
        return Collections.unmodifiableMap(args);
    }

    public String workdir() {
        return workdir;
    }

    public Optional<String> user() {
        return user;
    }

    public List<String> shell() {
        return shell;
    }

    /** Applies one instruction of this stage and returns the step the builder executes. */
    public ResolvedInstruction apply(Instruction instruction) {
        int line = instruction.line();
        List<String> a = instruction.args();
        UnaryOperator<String> sub = word -> buildArgs.substitute(word, scope(), instruction);
        return switch (instruction.keyword()) {
            case RUN -> new ResolvedInstruction.Run(line, command(instruction), runEnv(), workdir, user);
            case CMD -> new ResolvedInstruction.SetCmd(line, command(instruction));
            case ENTRYPOINT -> new ResolvedInstruction.SetEntrypoint(line, command(instruction));
            case SHELL -> {
                shell = a;
                yield new ResolvedInstruction.SetShell(line, a);
            }
            case ENV -> {
                Map<String, String> values = pairs(a, sub);
                env.putAll(values);
                yield new ResolvedInstruction.SetEnv(line, values);
            }
            case LABEL -> new ResolvedInstruction.SetLabels(line, pairs(a, sub));
            case ARG -> {
                Map<String, String> values = buildArgs.declare(instruction, scope(), buildArgs.global());
                args.putAll(values);
                yield new ResolvedInstruction.SetArgs(line, values);
            }
            case COPY, ADD -> copy(instruction, sub);
            case WORKDIR -> {
                workdir = absolute(sub.apply(a.get(0)), false);
                yield new ResolvedInstruction.SetWorkdir(line, workdir);
            }
            case USER -> {
                String value = sub.apply(a.get(0));
                if (value.isEmpty()) {
                    throw DockerfileException.at(line, "USER " + a.get(0) + " is empty after substitution");
                }
                user = Optional.of(value);
                yield new ResolvedInstruction.SetUser(line, value);
            }
            case EXPOSE -> new ResolvedInstruction.Expose(line, a.stream().map(sub).map(p -> port(p, line)).toList());
            case VOLUME -> new ResolvedInstruction.Volume(line, a.stream().map(sub).toList());
            case STOPSIGNAL -> {
                String signal = sub.apply(a.get(0));
                if (!SIGNAL.matcher(signal).matches()) {
                    throw DockerfileException.at(line, "STOPSIGNAL: invalid signal \"" + signal + "\"");
                }
                yield new ResolvedInstruction.StopSignal(line, signal);
            }
            case HEALTHCHECK -> new ResolvedInstruction.SetHealthcheck(line, Healthcheck.of(instruction));
            case MAINTAINER -> new ResolvedInstruction.SetMaintainer(line, a.get(0));
            case FROM, ONBUILD -> throw DockerfileException.at(line, instruction.keyword()
                    + " cannot be applied inside a stage");
        };
    }

    /** The variables substitution sees: ARG values with ENV over them. */
    private Map<String, String> scope() {
        Map<String, String> scope = new LinkedHashMap<>(args);
        scope.putAll(env);
        return scope;
    }

    private Map<String, String> runEnv() {
        Map<String, String> run = new LinkedHashMap<>(buildArgs.proxyArgs());
        run.putAll(scope());
        return run;
    }

    private List<String> command(Instruction instruction) {
        if (instruction.json()) {
            return instruction.args();
        }
        List<String> argv = new ArrayList<>(shell);
        argv.add(instruction.args().get(0));
        return argv;
    }

    private static Map<String, String> pairs(List<String> a, UnaryOperator<String> sub) {
        List<String> resolved = a.stream().map(sub).toList();
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < resolved.size(); i += 2) {
            values.remove(resolved.get(i));
            values.put(resolved.get(i), resolved.get(i + 1));
        }
        return values;
    }

    private ResolvedInstruction copy(Instruction instruction, UnaryOperator<String> sub) {
        int line = instruction.line();
        List<String> a = instruction.args().stream().map(sub).toList();
        List<String> sources = a.subList(0, a.size() - 1);
        String dest = a.get(a.size() - 1);
        boolean add = instruction.keyword() == Keyword.ADD;
        for (String source : sources) {
            if (add && (source.matches("(?i)(https?|git)://.*") || source.startsWith("git@"))) {
                throw DockerfileException.at(line, "ADD " + source + ": remote sources are not supported (copy the file"
                        + " into the build context)");
            }
        }
        boolean directory = dest.endsWith("/") || dest.equals(".") || dest.equals("..") || dest.endsWith("/.")
                || dest.endsWith("/..");
        if (sources.size() > 1 && !directory) {
            throw DockerfileException.at(line, instruction.keyword() + " with more than one source needs a destination"
                    + " directory ending with /: " + dest);
        }
        String destination = absolute(dest, directory);
        Optional<String> chmod = instruction.flag("chmod").map(sub);
        if (chmod.isPresent() && !CHMOD.matcher(chmod.get()).matches()) {
            throw DockerfileException.at(line, "invalid --chmod=" + chmod.get()
                    + ": an octal mode such as 0755 is needed");
        }
        Optional<CopySource> from = instruction.flag("from").map(sub).map(f -> copySource(f, line));
        return new ResolvedInstruction.Copy(line, add, from, sources, destination,
                instruction.flag("chown").map(sub), chmod);
    }

    private CopySource copySource(String from, int line) {
        Optional<Stage> named = dockerfile.stage(from.toLowerCase(Locale.ROOT));
        if (named.isPresent() && named.get().index() < stage.index()) {
            return new CopySource.StageOutput(named.get().index());
        }
        if (named.isEmpty() && DockerfileParser.looksLikeImage(from)) {
            return new CopySource.Image(from);
        }
        throw DockerfileException.at(line, "COPY --from=" + from + ": no earlier stage of that name or index");
    }

    /** {@code path} against the working directory, cleaned; a trailing '/' kept when {@code directory}. */
    private String absolute(String path, boolean directory) {
        String joined = path.startsWith("/") ? path : workdir + "/" + path;
        String clean = cleanPath(joined);
        return directory && !clean.equals("/") ? clean + "/" : clean;
    }

    /** Go's {@code path.Clean} for an absolute path: no '.', no '..', no doubled or trailing '/'. */
    static String cleanPath(String absolute) {
        List<String> parts = new ArrayList<>();
        for (String part : absolute.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
            } else {
                parts.add(part);
            }
        }
        return "/" + String.join("/", parts);
    }

    private static String port(String spec, int line) {
        if (!PORT.matcher(spec).matches()) {
            throw DockerfileException.at(line, "EXPOSE: invalid port \"" + spec + "\" (PORT[-PORT][/tcp|udp|sctp])");
        }
        return spec.contains("/") ? spec.toLowerCase(Locale.ROOT) : spec + "/tcp";
    }
}
