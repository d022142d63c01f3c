package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.ApiError;
import io.actord.cli.ApiPaths;
import io.actord.cli.CliException;
import io.actord.cli.DaemonClient;
import io.actord.cli.Json;
import io.actord.cli.Query;
import io.actord.cli.RunExit;
import io.actord.cli.RunFollower;
import io.actord.cli.output.Output;
import io.actord.cli.view.Fields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/**
 * {@code actorctl push [DIR]}, as {@code apify push}: reads {@code .actor/actor.json}, creates the actor (by its
 * name, the caller's) when it does not exist, makes its source the version's {@code SOURCE_FILES} (without what
 * {@code .dockerignore} excludes), builds it, prints the build's log as it is written and exits 0 when the build
 * SUCCEEDED, 1 naming the status otherwise.
 */
@Command(name = "push", description = "Upload an actor directory (.actor/actor.json) as a version, build it and"
        + " print the build's log; exit 0 when the build succeeds.")
public final class PushCommand extends ApiCommand {
    @Parameters(paramLabel = "DIR", arity = "0..1", defaultValue = ".", description = "the actor's directory;"
            + " default: the current one")
    Path dir;

    @Option(names = "--no-cache", description = "build every step again (useCache=0)")
    boolean noCache;

    @Option(names = "--memory", paramLabel = "MB", description = "the build's memory; default the daemon's (4096)")
    Integer memory;

    @Option(names = "--timeout", paramLabel = "SECS", description = "the build's timeout; default the daemon's")
    Integer timeout;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ActorSource source = ActorSource.read(dir.toAbsolutePath().normalize());
        String actorId = actorId(api, out, source.name());
        byte[] body = Json.bytes(source.versionBody());
        if (exists(api, versions(actorId).segment(source.version()))) {
            api.put(versions(actorId).segment(source.version()), "application/json", body);
        } else {
            api.post(versions(actorId), "application/json", body);
        }
        JsonNode build = api.post(ApiPaths.actor(actorId).literal("/builds").param("version", source.version())
                .param("tag", source.buildTag()).param("useCache", noCache ? 0 : 1).param("memory", memory)
                .param("timeout", timeout)).data();
        String id = Fields.text(build, "id");
        out.note("build " + Fields.text(build, "buildNumber") + " of " + source.name() + " (id " + id + ")");
        printLog(api, out, id);
        while (!RunExit.isTerminal(build.path("status").asText())) {
            build = api.get(ApiPaths.build(id).param("waitForFinish", 60)).data();
        }
        String status = build.path("status").asText();
        if (out.json()) {
            out.json(Json.bytes(build));
        }
        out.note("build " + Fields.text(build, "buildNumber") + " " + status);
        return "SUCCEEDED".equals(status) ? 0 : 1;
    }

    private static Query versions(String actorId) {
        return ApiPaths.actor(actorId).literal("/versions");
    }

    /** The id of the caller's actor {@code name}, created when there is none. */
    private static String actorId(DaemonClient api, Output out, String name) {
        try {
            return Fields.text(api.get(ApiPaths.actor(name)).data(), "id");
        } catch (ApiError e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
        JsonNode actor = api.postJson(ApiPaths.actors(), Json.object().put("name", name)).data();
        out.note("created actor " + name);
        return Fields.text(actor, "id");
    }

    private static boolean exists(DaemonClient api, Query target) {
        try {
            api.get(target);
            return true;
        } catch (ApiError e) {
            if (e.isNotFound()) {
                return false;
            }
            throw e;
        }
    }

    /** Copies the build's log to stdout as it is written; the daemon ends the stream when the build ends. */
    private static void printLog(DaemonClient api, Output out, String buildId) {
        try {
            new RunFollower(api, out).copyToOut(api.open(Query.path("/v2/logs").segment(buildId).flag("stream", true)),
                    "the log of build " + buildId);
        } catch (CliException e) {
            out.note(e.getMessage());
        }
    }
}
