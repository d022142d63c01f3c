package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.ActordCli;
import io.actord.cli.CliConfig;
import io.actord.cli.CliException;
import io.actord.cli.Context;
import io.actord.cli.Query;
import io.actord.cli.http.Endpoint;
import io.actord.cli.http.HttpClient;
import io.actord.cli.DaemonClient;
import io.actord.cli.view.Fields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code actorctl login [URL] [--token-stdin]}: checks a token against the daemon at URL ({@code GET /v2/users/me})
 * and stores it for that URL in actorctl's config file (mode 0600, see {@link CliConfig}), so later commands send it
 * without {@code --token} or APIFY_TOKEN, and it never enters the shell's history. That URL becomes the default
 * daemon; {@code actorctl logout} forgets it.
 */
@Command(name = "login", description = "Store an API token for a daemon's URL (and use that daemon by default).",
        footer = {"", "The token is read from stdin with --token-stdin, else asked for on the terminal:",
                "  actorctl tokens create ann --name laptop |",
                "      actorctl login http://127.0.0.1:7070 --token-stdin",
                "It is kept in $XDG_CONFIG_HOME/actord/config.json (or ~/.config/actord/config.json,",
                "or $ACTORCTL_CONFIG), readable by you alone."})
public final class LoginCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "URL", description = "the daemon's http:// URL (default: --url or ACTORD_URL)")
    String url;

    @Option(names = "--token-stdin", description = "read the token from stdin")
    boolean tokenStdin;

    @Override
    public Integer call() {
        ActordCli root = (ActordCli) spec.root().userObject();
        Context context = root.context();
        Endpoint.Tcp endpoint = ActordCli.endpoint(Optional.ofNullable(url).or(root::givenUrl).orElseThrow(() ->
                new CliException("give the daemon's URL: actorctl login http://HOST:PORT")));
        CliConfig config = CliConfig.load(context);
        config.file(); // fails now, before a token is read, when there is nowhere to keep it
        String token = token(context);
        DaemonClient api = new DaemonClient(new HttpClient(endpoint, "actorctl"), Optional.of(token),
                "is actord running and listening there?");
        JsonNode me = api.get(Query.path("/v2/users/me")).data();
        String user = Fields.text(me, "username");
        config.login(endpoint.toString(), token, user);
        context.err().println("logged in to " + endpoint + (user == null ? "" : " as " + user) + "; token stored in "
                + config.file());
        return 0;
    }

    private String token(Context context) {
        String token;
        if (tokenStdin) {
            try {
                token = new String(context.in().readAllBytes(), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new CliException("read the token from stdin: " + e.getMessage(), e);
            }
        } else {
            Console console = context.in() == System.in ? System.console() : null;
            if (console == null) {
                throw new CliException("no terminal to ask for the token on: pipe it in with --token-stdin");
            }
            char[] typed = console.readPassword("Token for the daemon: ");
            token = typed == null ? "" : new String(typed).strip();
        }
        if (token.isEmpty() || token.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new CliException("the token is empty or has spaces or control characters");
        }
        return token;
    }

    /** {@code actorctl logout [URL]}: forgets the token stored for URL (default: the default daemon's). */
    @Command(name = "logout", description = "Forget the token stored for a daemon's URL.")
    public static final class Logout implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "URL", description = "the daemon's URL (default: the one logged in to last)")
        String url;

        @Override
        public Integer call() {
            ActordCli root = (ActordCli) spec.root().userObject();
            CliConfig config = CliConfig.load(root.context());
            String key = ActordCli.endpoint(Optional.ofNullable(url).or(root::givenUrl).or(config::url).orElseThrow(() ->
                    new CliException("not logged in to any daemon"))).toString();
            if (!config.logout(key)) {
                throw new CliException("not logged in to " + key);
            }
            root.context().err().println("logged out of " + key);
            return 0;
        }
    }
}
