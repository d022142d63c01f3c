package io.actord.cli.options;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Where the daemon is and how to print: accepted before or after any subcommand. */
public final class GlobalOptions {
    /** The daemon's default admin socket (DaemonConfig.DEFAULT_SOCKET; the CLI does not import the daemon). */
    public static final String DEFAULT_SOCKET = "/run/actord/actord.sock";

    @Option(names = "--socket", paramLabel = "PATH", scope = ScopeType.INHERIT,
            description = "the daemon's Unix socket (env ACTORD_SOCKET; default " + DEFAULT_SOCKET + ")")
    public String socket;

    @Option(names = "--url", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "use the daemon's TCP API instead (env ACTORD_URL), for example http://127.0.0.1:7070")
    public String url;

    @Option(names = "--token", paramLabel = "TOKEN", scope = ScopeType.INHERIT,
            description = "the API token for --url (env APIFY_TOKEN)")
    public String token;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "print the daemon's JSON answer unchanged")
    public boolean json;

    @Option(names = "--color", paramLabel = "WHEN", scope = ScopeType.INHERIT, defaultValue = "auto",
            description = "colour output: auto (on a terminal, unless NO_COLOR is set), always or never")
    public ColorMode color;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "show this help")
    public boolean help;

    /** When to colour. */
    public enum ColorMode { auto, always, never }
}
