package io.actord.cli.commands;

import io.actord.cli.CliException;
import io.actord.cli.DaemonClient;
import io.actord.cli.Payload;
import io.actord.cli.http.HttpRequest;
import io.actord.cli.http.HttpResponse;
import io.actord.cli.output.JqFilter;
import io.actord.cli.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code actorctl api [METHOD] PATH [--data JSON|@FILE|@-] [-H 'Name: value'] [-i] [--jq EXPR]}: one request to
 * the daemon's API with the CLI's connection and token, as {@code gh api} does. The answer's body goes to stdout
 * as it arrives (a large dataset is never held whole); an error answer is printed too, and exits 125.
 */
@Command(name = "api", description = "Send a request to the daemon's API and print the answer's body.",
        footer = {"", "Examples:",
                "  actorctl api /v2/acts",
                "  actorctl api GET /v2/actor-runs --jq '.data.items[].id'",
                "  actorctl api POST /v2/acts --data '{\"name\":\"hello\"}'",
                "  actorctl api PUT /v2/key-value-stores/STORE/records/KEY \\",
                "      -H 'Content-Type: text/plain' --data @file.txt",
                "  echo '[{\"a\":1}]' | actorctl api POST /v2/datasets/DATASET/items --data @-",
                "", "Exit status: 0 for a 2xx answer; 125 for an error answer (its body is still",
                "printed) or none."})
public final class ApiRequestCommand extends ApiCommand {
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

    @Parameters(arity = "1..2", paramLabel = "[METHOD] PATH",
            description = "the method (default GET, POST with --data) and the path with its query, e.g. /v2/acts?limit=5")
    List<String> words = new ArrayList<>();

    @Option(names = {"-X", "--method"}, paramLabel = "METHOD", description = "the method, instead of the first argument")
    String method;

    @Option(names = {"-d", "--data"}, paramLabel = "JSON|@FILE|@-",
            description = "the request body: the text itself, @FILE to read a file, @- to read stdin")
    String data;

    @Option(names = {"-H", "--header"}, paramLabel = "'NAME: VALUE'",
            description = "a request header (repeatable); Content-Type defaults to application/json with --data")
    List<String> headers = new ArrayList<>();

    @Option(names = {"-i", "--include"}, description = "print the status line and headers before the body")
    boolean include;

    @Option(names = "--jq", paramLabel = "EXPR", description = "filter the JSON answer with a jq expression")
    String jq;

    @Override
    protected int execute(DaemonClient api, Output out) {
        JqFilter filter = jq == null ? null : JqFilter.compile(jq);
        HttpRequest request = request();
        try (HttpResponse response = api.send(request)) {
            if (include) {
                out.out().println("HTTP/1.1 " + response.status());
                response.headers().forEach((k, v) -> out.out().println(k + ": " + v));
                out.out().println();
            }
            if (response.status() / 100 != 2) {
                byte[] body = response.readAll();
                out.bytes(body);
                throw DaemonClient.error(response, body);
            }
            if (filter != null) {
                filter.apply(Payload.json(response.readAll(), "the answer")).forEach(v -> out.out().println(JqFilter.text(v)));
                out.out().flush();
            } else {
                copy(response.body(), out);
            }
        } catch (IOException e) {
            throw api.failed(e);
        }
        return 0;
    }

    private HttpRequest request() {
        String path = words.get(words.size() - 1);
        String verb = method != null ? method : words.size() == 2 ? words.get(0) : data != null ? "POST" : "GET";
        if (method != null && words.size() == 2) {
            throw new CliException("give the method either as -X or as the first argument, not both");
        }
        verb = verb.toUpperCase(Locale.ROOT);
        if (!METHODS.contains(verb)) {
            throw new CliException("'" + verb + "' is not an HTTP method (" + String.join(", ", METHODS.stream().sorted()
                    .toList()) + ")");
        }
        if (path.isBlank() || path.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new CliException("the path '" + path + "' is empty or has spaces or control characters; encode them");
        }
        HttpRequest request = HttpRequest.of(verb, path.startsWith("/") ? path : "/" + path);
        boolean typed = false;
        for (String h : headers) {
            int colon = h.indexOf(':');
            if (colon <= 0 || h.substring(0, colon).isBlank() || h.chars().anyMatch(c -> c == '\r' || c == '\n')) {
                throw new CliException("header '" + h + "' is not NAME: VALUE");
            }
            String name = h.substring(0, colon).trim();
            typed |= name.equalsIgnoreCase("Content-Type");
            request = request.withHeader(name, h.substring(colon + 1).trim());
        }
        if (data != null) {
            byte[] body = Payload.read(data.equals("@-") ? "-" : data, "--data", context());
            request = typed ? new HttpRequest(request.method(), request.target(), request.headers(), body)
                    : request.withBody("application/json", body);
        }
        return request;
    }

    /** Copies the body as it arrives; stops early if stdout's reader went away. */
    private static void copy(InputStream body, Output out) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        boolean newline = true;
        int n;
        while ((n = body.read(buffer)) > 0) {
            out.out().write(buffer, 0, n);
            newline = buffer[n - 1] == '\n';
            if (out.outClosed()) {
                return;
            }
        }
        if (!newline && out.outIsTerminal()) {
            out.out().println();
        }
        out.out().flush();
    }
}
