package io.actord.cli.commands;

import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.Json;
import io.actord.cli.Payload;
import io.actord.cli.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;

/**
 * {@code actorctl kv set STORE KEY VALUE|@FILE|- [--content-type T]}. Without a type, JSON is stored as
 * {@code application/json}, other UTF-8 text as {@code text/plain} and anything else as octet-stream, the
 * types apify-client picks for objects, strings and buffers.
 */
@Command(name = "set", description = "Store a record: the value itself, @FILE or - for stdin.")
final class KvSetCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "STORE", description = "the key-value store: id or name")
    String store;

    @Parameters(index = "1", paramLabel = "KEY", description = "the record's key")
    String key;

    @Parameters(index = "2", paramLabel = "VALUE|@FILE|-", description = "the value")
    String value;

    @Option(names = "--content-type", paramLabel = "TYPE", description = "the value's content type (default: guessed)")
    String contentType;

    @Override
    protected int execute(DaemonClient api, Output out) {
        byte[] bytes = Payload.read(value, "VALUE", context());
        String type = contentType != null ? contentType : guess(bytes);
        if (contentType != null && Payload.isJson(contentType)) {
            Payload.json(bytes, "VALUE");
        }
        ApiResponse answer = api.put(ApiPaths.record(store, key), type, bytes);
        if (out.json()) {
            out.jsonIfAny(answer.body());
        } else {
            out.line("stored " + key + " in " + store + " (" + bytes.length + " bytes, " + type + ")");
        }
        return 0;
    }

    static String guess(byte[] bytes) {
        if (!Payload.isUtf8(bytes)) {
            return "application/octet-stream";
        }
        try {
            Json.parse(bytes);
            return "application/json; charset=utf-8";
        } catch (IOException e) {
            return "text/plain; charset=utf-8";
        }
    }
}
