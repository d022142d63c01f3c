package io.actord.cli;

import io.actord.cli.http.Endpoint;
import io.actord.cli.http.HttpClient;
import io.actord.cli.options.GlobalOptions;
import io.actord.cli.output.Output;
import io.actord.cli.output.OutputMode;
import io.actord.cli.output.Style;
import picocli.CommandLine.Option;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * actorctl's entry point: the command tree ({@link CommandTree}), the global options, and the exit statuses: 0 done,
 * {@value #ERROR} any error of actorctl's own (printed as one {@code error: ...} line on stderr, with the command's
 * help for a usage error): an unreachable daemon, a bad flag, a 4xx or 5xx answer. 125 is what docker exits with for
 * its own errors, so a script can tell them from a run's exit code: {@code run --wait} and {@code call} exit with a
 * status derived from the run's (see {@link RunExit}).
 */
@Command(name = "actorctl", versionProvider = ActordCli.Version.class, sortOptions = false,
        description = "Administers an actord daemon over its Unix socket (or its TCP API with a token).",
        footer = {"", "Exit status: 0 ok; 125 an error of actorctl's own (a bad flag, an unreachable",
                "daemon, an error answer of the API), as docker exits. run --wait and call exit",
                "0 when the run SUCCEEDED, its exit code (or 1) when it FAILED, 124 when it",
                "TIMED-OUT and 130 when it was ABORTED; push exits 1 when the build failed.", "",
                "Examples:",
                "  actorctl call hello --input '{\"name\":\"Ada\"}'",
                "  actorctl runs list --status RUNNING",
                "  actorctl runs logs -f RUN_ID --tail 20",
                "  actorctl runs list -q --status FAILED | xargs actorctl runs rm",
                "  actorctl api GET /v2/acts --jq '.data.items[].name'"})
public final class ActordCli implements Runnable {
    /** The exit status of every error of actorctl's own (docker's 125), never a run's. */
    public static final int ERROR = 125;

    @Mixin
    GlobalOptions options;

    @Spec
    CommandSpec spec;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "print the version")
    boolean version;

    private final Context context;

    ActordCli(Context context) {
        this.context = context;
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        Context system = Context.system();
        int status = execute(new Context(out, err, System.in, system.env(), system.clock(), system.outIsTerminal(),
                system.errIsTerminal()), args);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /** Runs one command line with the process's streams and environment (as they are when called). */
    public static int run(String... args) {
        return execute(Context.system(), args);
    }

    /** Runs one command line in {@code context} and returns its exit status; never throws. */
    public static int execute(Context context, String... args) {
        ActordCli root = new ActordCli(context);
        CommandLine cli = new CommandLine(root);
        CommandTree.attach(cli, args);
        cli.setExpandAtFiles(false);
        cli.setOut(writer(context.out()));
        cli.setErr(writer(context.err()));
        cli.setParameterExceptionHandler((e, arguments) -> root.usageError(e));
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> root.failed(e));
        boolean colour = root.colour(context.outIsTerminal()) && root.colour(context.errIsTerminal());
        cli.setColorScheme(Help.defaultColorScheme(colour ? Help.Ansi.ON : Help.Ansi.OFF));
        int status = cli.execute(args);
        cli.getOut().flush();
        cli.getErr().flush();
        return status;
    }

    /** Without a subcommand: the help, on stdout. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public Context context() {
        return context;
    }

    /**
     * A client for the daemon that the options and environment point at: {@code --url} or ACTORD_URL, else
     * {@code --socket} or ACTORD_SOCKET, else the URL {@code actorctl login} stored last, else the default socket. Over
     * TCP the token is {@code --token}, else APIFY_TOKEN, else the one stored for that URL.
     */
    public DaemonClient client() {
        Optional<String> url = givenUrl();
        if (url.isPresent() && options.socket != null) {
            throw new CliException("give either --socket or --url, not both");
        }
        boolean socketChosen = options.socket != null || context.env("ACTORD_SOCKET").isPresent();
        if (url.isEmpty() && !socketChosen) {
            url = CliConfig.load(context).url();
        }
        String agent = "actorctl/" + Version.version();
        if (url.isPresent()) {
            Endpoint.Tcp tcp = endpoint(url.get());
            return new DaemonClient(new HttpClient(tcp, agent),
                    Optional.ofNullable(options.token).or(() -> context.env("APIFY_TOKEN"))
                            .or(() -> CliConfig.load(context).token(tcp.toString())),
                    "is actord running and listening there?");
        }
        Path socket = Path.of(Optional.ofNullable(options.socket).or(() -> context.env("ACTORD_SOCKET"))
                .orElse(GlobalOptions.DEFAULT_SOCKET));
        return new DaemonClient(new HttpClient(new Endpoint.Unix(socket), agent), Optional.empty(),
                "is actord running? point --socket or ACTORD_SOCKET at its socket");
    }

    /** The TCP endpoint of an {@code http://} URL, or a CliException naming what is wrong with it. */
    public static Endpoint.Tcp endpoint(String url) {
        try {
            return Endpoint.parseUrl(url);
        } catch (IllegalArgumentException e) {
            throw new CliException("--url " + e.getMessage());
        }
    }

    /** The daemon URL from {@code --url} or ACTORD_URL, if one was given. */
    public Optional<String> givenUrl() {
        return Optional.ofNullable(options.url).or(() -> context.env("ACTORD_URL"));
    }

    public Output output() {
        return output(OutputMode.of(options.json));
    }

    /** Output in {@code mode} (a list or get command's -o, -q or --jq). */
    public Output output(OutputMode mode) {
        return new Output(context.out(), context.err(), context.clock(), mode,
                Style.of(colour(context.outIsTerminal())), Style.of(colour(context.errIsTerminal())),
                context.outIsTerminal(), context.errIsTerminal(), unicode());
    }

    /** Whether {@code --json} was given. */
    public boolean json() {
        return options.json;
    }

    /** Colour on a stream: always/never as asked; auto on a terminal unless NO_COLOR is set or TERM is dumb. */
    private boolean colour(boolean terminal) {
        return switch (options.color == null ? GlobalOptions.ColorMode.auto : options.color) {
            case always -> true;
            case never -> false;
            case auto -> terminal && context.env("NO_COLOR").isEmpty()
                    && !context.env("TERM").map("dumb"::equals).orElse(false);
        };
    }

    private boolean unicode() {
        String locale = context.env("LC_ALL").or(() -> context.env("LC_CTYPE")).or(() -> context.env("LANG"))
                .orElse("").toLowerCase(Locale.ROOT);
        return locale.contains("utf-8") || locale.contains("utf8");
    }

    private int usageError(ParameterException e) {
        PrintWriter err = e.getCommandLine().getErr();
        String message = lowerFirst(e.getMessage());
        if (e instanceof UnmatchedArgumentException u && !u.isUnknownOption() && !u.getUnmatched().isEmpty()
                && !e.getCommandLine().getSubcommands().isEmpty()) {
            message = "unknown command '" + u.getUnmatched().get(0) + "'";
        }
        err.println("error: " + message);
        if (e instanceof UnmatchedArgumentException u) {
            UnmatchedArgumentException.printSuggestions(u, err);
        }
        err.println();
        e.getCommandLine().usage(err);
        err.flush();
        return ERROR;
    }

    private int failed(Exception e) {
        if (e instanceof ParameterException p) {
            return usageError(p);
        }
        if (e instanceof ApiError api && options.json && api.body().length > 0) {
            output().json(api.body());
        }
        String message = e instanceof CliException ? e.getMessage() : "unexpected " + e.getClass().getSimpleName()
                + ": " + e.getMessage();
        context.err().println("error: " + message);
        context.err().flush();
        return ERROR;
    }

    /** picocli's messages as ours: lower case first, without its own "Error: " prefix. */
    private static String lowerFirst(String s) {
        if (s == null || s.isBlank()) {
            return "invalid command line";
        }
        String m = s.startsWith("Error: ") ? s.substring(7) : s;
        return Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }

    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
    }

    /**
     * The version the build wrote into build.properties: the project version and, from a git checkout, the
     * commit ({@code 0.1.0-SNAPSHOT+685f161a2b}, {@code .dirty} when it had changes); {@code dev} when the
     * classes were never filtered by the build.
     */
    static final class Version implements CommandLine.IVersionProvider {
        private static final String VERSION = describe(ActordCli.class.getResourceAsStream("build.properties"));

        static String version() {
            return VERSION;
        }

        static String describe(InputStream buildProperties) {
            Properties p = new Properties();
            try (InputStream in = buildProperties) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String version = p.getProperty("version", "${");
            String commit = p.getProperty("commit", "${");
            if (version.contains("${")) {
                return "dev";
            }
            return commit.isBlank() || commit.contains("${") ? version : version + "+" + commit;
        }

        @Override
        public String[] getVersion() {
            return new String[]{"actorctl " + version()};
        }
    }
}
