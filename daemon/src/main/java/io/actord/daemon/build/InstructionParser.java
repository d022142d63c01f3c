package io.actord.daemon.build;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns one logical line into an {@link Instruction}, with BuildKit's argument rules per instruction (its
 * {@code dispatch} table of line parsers and the argument checks of its {@code instructions} package).
 */
final class InstructionParser {
    /** {@code <<EOF}, {@code <<-EOF}: a heredoc, not a here-string ({@code <<<}) nor a shift ({@code 1<<2}). */
    private static final Pattern HEREDOC = Pattern.compile("(?<!<)<<-?\\s*[A-Za-z_][A-Za-z0-9_]*");
    /** {@code <<"EOF"}, {@code <<-'EOF'}: a heredoc with a quoted delimiter. */
    private static final Pattern QUOTED_HEREDOC = Pattern.compile("(?<!<)<<-?\\s*([\"'])[A-Za-z_][A-Za-z0-9_]*\\1");
    /** Quoted text, where {@code <<} is not a redirection. */
    private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"(\\\\.|[^\"\\\\])*\"");

    private final char escape;

    InstructionParser(char escape) {
        this.escape = escape;
    }

    Instruction parse(LogicalLine logical) {
        int line = logical.startLine();
        LineSyntax.Command command = LineSyntax.splitCommand(logical.text());
        Keyword keyword = Keyword.of(command.keyword()).orElseThrow(() -> DockerfileException.at(line,
                "unknown instruction " + command.keyword().toUpperCase(Locale.ROOT)));
        Map<String, String> flags = flags(keyword, command.flags(), line);
        String rest = command.rest();
        Args args = switch (keyword) {
            case ONBUILD -> throw DockerfileException.at(line, "ONBUILD is not supported");
            case RUN, CMD, ENTRYPOINT -> command(keyword, rest, line);
            case SHELL -> shell(rest, line);
            case ENV, LABEL -> new Args(nameValues(keyword, rest, line), false);
            case ARG -> new Args(nonEmpty(keyword, LineSyntax.words(rest, escape), line), false);
            case COPY, ADD -> copy(keyword, rest, line);
            case VOLUME -> volume(rest, line);
            case FROM, EXPOSE -> new Args(nonEmpty(keyword, LineSyntax.fields(rest), line), false);
            case WORKDIR, USER, STOPSIGNAL, MAINTAINER -> {
                if (rest.isEmpty()) {
                    throw DockerfileException.at(line, keyword + " requires exactly one argument");
                }
                yield new Args(List.of(rest), false);
            }
            case HEALTHCHECK -> healthcheck(rest, line);
        };
        if ((keyword == Keyword.RUN || keyword == Keyword.COPY || keyword == Keyword.ADD) && !args.json
                && hasHeredoc(rest)) {
            throw DockerfileException.at(line, "heredocs (" + keyword + " <<EOF) are not supported");
        }
        if (keyword == Keyword.HEALTHCHECK) {
            Healthcheck.validate(flags, line);
        }
        return new Instruction(keyword, line, args.values, args.json, flags, logical.text());
    }

    private static boolean hasHeredoc(String rest) {
        return QUOTED_HEREDOC.matcher(rest).find() || HEREDOC.matcher(QUOTED.matcher(rest).replaceAll("")).find();
    }

    private record Args(List<String> values, boolean json) {
    }

    private Map<String, String> flags(Keyword keyword, List<String> words, int line) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (String word : words) {
            String body = word.startsWith("--") ? word.substring(2) : word;
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            if (keyword.unsupportedFlags().contains(name)) {
                throw DockerfileException.at(line, keyword + " --" + name + " is not supported");
            }
            if (!keyword.flags().contains(name)) {
                throw DockerfileException.at(line, "unknown flag: --" + name + " (" + keyword + " takes "
                        + (keyword.flags().isEmpty() ? "no flags" : keyword.flags().stream().sorted()
                        .map(f -> "--" + f).toList()) + ")");
            }
            if (flags.containsKey(name)) {
                throw DockerfileException.at(line, "duplicate flag specified: --" + name);
            }
            if (eq < 0 && !name.equals("link")) {
                throw DockerfileException.at(line, "missing a value on flag: --" + name);
            }
            String value = eq < 0 ? "true" : body.substring(eq + 1);
            if (name.equals("link") && !value.equals("true") && !value.equals("false")) {
                throw DockerfileException.at(line, "expecting boolean value for flag --link, not: " + value);
            }
            flags.put(name, value);
        }
        return flags;
    }

    private static Args command(Keyword keyword, String rest, int line) {
        Optional<List<String>> json = LineSyntax.jsonArray(rest, line);
        if (json.isPresent()) {
            if (keyword == Keyword.RUN && json.get().isEmpty()) {
                throw DockerfileException.at(line, "RUN requires at least one argument");
            }
            return new Args(json.get(), true);
        }
        if (rest.isEmpty()) {
            throw DockerfileException.at(line, keyword + " requires at least one argument");
        }
        return new Args(List.of(rest), false);
    }

    private static Args shell(String rest, int line) {
        List<String> json = LineSyntax.jsonArray(rest, line).orElseThrow(() -> DockerfileException.at(line,
                "SHELL requires the arguments to be in JSON form"));
        if (json.isEmpty()) {
            throw DockerfileException.at(line, "SHELL requires at least one argument");
        }
        return new Args(json, true);
    }

    /** ENV and LABEL: {@code k=v k2="v 2"}, or the legacy {@code k v...} when the first word has no '='. */
    private List<String> nameValues(Keyword keyword, String rest, int line) {
        List<String> words = LineSyntax.words(rest, escape);
        if (words.isEmpty()) {
            throw DockerfileException.at(line, keyword + " requires at least one argument");
        }
        List<String> pairs = new ArrayList<>();
        if (!words.get(0).contains("=")) {
            String[] parts = LineSyntax.WHITESPACE.split(rest, 2);
            if (parts.length < 2) {
                throw DockerfileException.at(line, keyword + " must have two arguments");
            }
            pairs.add(parts[0]);
            pairs.add(parts[1]);
        } else {
            for (String word : words) {
                int eq = word.indexOf('=');
                if (eq < 0) {
                    throw DockerfileException.at(line, "Syntax error - can't find = in \"" + word
                            + "\". Must be of the form: name=value");
                }
                pairs.add(word.substring(0, eq));
                pairs.add(word.substring(eq + 1));
            }
        }
        for (int i = 0; i < pairs.size(); i += 2) {
            if (pairs.get(i).isEmpty()) {
                throw DockerfileException.at(line, keyword + " names can not be blank");
            }
        }
        return pairs;
    }

    private static Args copy(Keyword keyword, String rest, int line) {
        Optional<List<String>> json = LineSyntax.jsonArray(rest, line);
        List<String> args = json.orElseGet(() -> LineSyntax.fields(rest));
        if (args.isEmpty()) {
            throw DockerfileException.at(line, keyword + " requires at least two arguments");
        }
        if (args.size() == 1) {
            throw DockerfileException.at(line, keyword + " requires at least two arguments, but only one was provided."
                    + " Destination could not be determined");
        }
        return new Args(args, json.isPresent());
    }

    private static Args volume(String rest, int line) {
        Optional<List<String>> json = LineSyntax.jsonArray(rest, line);
        List<String> args = nonEmpty(Keyword.VOLUME, json.orElseGet(() -> LineSyntax.fields(rest)), line);
        if (args.stream().anyMatch(a -> a.strip().isEmpty())) {
            throw DockerfileException.at(line, "VOLUME specified can not be an empty string");
        }
        return new Args(args, json.isPresent());
    }

    private static Args healthcheck(String rest, int line) {
        String[] parts = LineSyntax.WHITESPACE.split(rest, 2);
        String type = parts[0].toUpperCase(Locale.ROOT);
        String command = parts.length > 1 ? parts[1] : "";
        switch (type) {
            case "NONE" -> {
                if (!command.isEmpty()) {
                    throw DockerfileException.at(line, "HEALTHCHECK NONE takes no arguments");
                }
                return new Args(List.of("NONE"), false);
            }
            case "CMD" -> {
                if (command.isEmpty()) {
                    throw DockerfileException.at(line, "missing command after HEALTHCHECK CMD");
                }
                Args cmd = command(Keyword.HEALTHCHECK, command, line);
                List<String> values = new ArrayList<>();
                values.add("CMD");
                values.addAll(cmd.values);
                return new Args(values, cmd.json);
            }
            default -> throw DockerfileException.at(line, rest.isEmpty() ? "HEALTHCHECK requires at least one argument"
                    : "unknown type \"" + parts[0] + "\" in HEALTHCHECK (try CMD)");
        }
    }

    private static List<String> nonEmpty(Keyword keyword, List<String> args, int line) {
        if (args.isEmpty()) {
            throw DockerfileException.at(line, keyword + " requires at least one argument");
        }
        return args;
    }
}
