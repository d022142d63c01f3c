package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.Json;
import io.actord.cli.Query;
import io.actord.cli.output.Details;
import io.actord.cli.output.Output;
import io.actord.cli.view.Fields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/**
 * {@code actorctl daemon backup DIR}: {@code POST /v2/actord/backup}, a consistent copy of the daemon's state written
 * by the daemon into DIR on its host while runs go on (admin socket only). DIR is made absolute here, as the daemon
 * does not share this shell's working directory. {@code actord --restore DIR} restores it.
 */
@Command(name = "backup", description = "Write a backup of the daemon's state (users, actors, builds, runs, storages,"
        + " image layers, run logs, secrets' keys) into DIR, a new or empty directory on the daemon's host, while runs"
        + " go on. Restore it with: actord --restore DIR --state-dir NEW_STATE_DIR")
class DaemonBackupCommand extends ApiCommand {
    @Parameters(paramLabel = "DIR", description = "where the backup goes: a new directory (its parent must exist) or an"
            + " empty one")
    Path directory;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ObjectNode body = Json.object();
        String dir = directory.toAbsolutePath().normalize().toString();
        body.put("directory", dir);
        ApiResponse answer = api.postJson(Query.path("/v2/actord/backup"), body);
        if (out.json()) {
            out.json(answer.body());
            return 0;
        }
        JsonNode m = answer.data();
        JsonNode records = m.path("records");
        out.print(new Details()
                .add("Backup", dir)
                .add("Taken at", Fields.text(m, "createdAt"))
                .add("Users", Fields.number(records, "users"))
                .add("Actors", Fields.number(records, "actors"))
                .add("Builds", Fields.number(records, "builds"))
                .add("Runs", Fields.number(records, "runs"))
                .add("Storages", records.path("datasets").asLong() + records.path("key_value_stores").asLong()
                        + records.path("request_queues").asLong())
                .add("Layers", m.path("layers").size() + (m.path("layersLinked").asBoolean() ? " (hard links)" : ""))
                .add("Run logs", Fields.number(m, "logs"))
                .add("Took", Fields.number(m, "millis") + " ms"));
        return 0;
    }
}
