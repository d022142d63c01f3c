package io.actord.daemon.build;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The build arguments of one build ({@code --build-arg}) and the global scope they make with the Dockerfile's
 * {@code ARG}s before the first {@code FROM}: those values serve {@code FROM} lines and the stages that declare the
 * ARG again without a value. Also BuildKit's automatic platform args ({@code TARGETARCH} ...) which FROM can use
 * undeclared, and Docker's predefined proxy args, which RUN steps get undeclared.
 */
public final class BuildArgs {
    /** Docker's predefined args: passed to RUN without an ARG, never warned about as unused. */
    static final Set<String> PROXY_ARGS = Set.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
            "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy");

    private final Dockerfile dockerfile;
    private final Map<String, String> given;
    private final Map<String, String> global = new LinkedHashMap<>();
    private final Substitution substitution;

    /** The global scope of {@code dockerfile} with the build's {@code given} arguments. */
    public BuildArgs(Dockerfile dockerfile, Map<String, String> given) {
        this.dockerfile = dockerfile;
        this.given = Map.copyOf(given);
        this.substitution = new Substitution(dockerfile.escape());
        global.putAll(automaticArgs());
        for (Instruction arg : dockerfile.globalArgs()) {
            global.putAll(declare(arg, global, Map.of()));
        }
    }

    /** The values an {@code ARG} instruction sets: build arg, else its default, else the global ARG's value. */
    Map<String, String> declare(Instruction arg, Map<String, String> scope, Map<String, String> globals) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String word : arg.args()) {
            int eq = word.indexOf('=');
            String name = eq < 0 ? word : word.substring(0, eq);
            if (name.isEmpty()) {
                throw DockerfileException.at(arg.line(), "ARG names can not be blank");
            }
            if (given.containsKey(name)) {
                values.put(name, given.get(name));
            } else if (eq >= 0) {
                values.put(name, substitute(word.substring(eq + 1), scope, arg));
            } else if (globals.containsKey(name)) {
                values.put(name, globals.get(name));
            }
        }
        return values;
    }

    String substitute(String word, Map<String, String> scope, Instruction at) {
        try {
            return substitution.apply(word, scope);
        } catch (DockerfileException e) {
            throw DockerfileException.at(at.line(), at.keyword() + " " + e.getMessage());
        }
    }

    Substitution substitution() {
        return substitution;
    }

    /** The global scope: automatic platform args and the ARGs before the first FROM. */
    public Map<String, String> global() {
        return Collections.unmodifiableMap(global);
    }

    /** The proxy args given for this build, which every RUN gets. */
    Map<String, String> proxyArgs() {
        Map<String, String> proxies = new LinkedHashMap<>();
        given.forEach((k, v) -> {
            if (PROXY_ARGS.contains(k)) {
                proxies.put(k, v);
            }
        });
        return proxies;
    }

    /** Build args no ARG of the Dockerfile declares (Docker warns "were not consumed"), sorted. */
    public List<String> unused() {
        Set<String> declared = new TreeSet<>();
        Stream.concat(dockerfile.globalArgs().stream(), dockerfile.stages().stream()
                        .flatMap(s -> s.instructions().stream()).filter(i -> i.keyword() == Keyword.ARG))
                .flatMap(i -> i.args().stream()).forEach(w -> declared.add(w.contains("=")
                        ? w.substring(0, w.indexOf('=')) : w));
        return given.keySet().stream().filter(k -> !declared.contains(k) && !PROXY_ARGS.contains(k)).sorted().toList();
    }

    private static Map<String, String> automaticArgs() {
        String arch = switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> System.getProperty("os.arch", "");
        };
        Map<String, String> args = new LinkedHashMap<>();
        for (String side : List.of("BUILD", "TARGET")) {
            args.put(side + "PLATFORM", "linux/" + arch);
            args.put(side + "OS", "linux");
            args.put(side + "ARCH", arch);
            args.put(side + "VARIANT", "");
        }
        return args;
    }
}
