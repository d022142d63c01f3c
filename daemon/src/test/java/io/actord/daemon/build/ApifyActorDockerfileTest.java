package io.actord.daemon.build;

import io.actord.daemon.build.ResolvedInstruction.Copy;
import io.actord.daemon.build.ResolvedInstruction.CopySource;
import io.actord.daemon.build.ResolvedInstruction.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The whole front end on a two-stage Dockerfile in the shape of Apify's TypeScript actor template (builder stage,
 * then a final stage that copies the build output from it), walked as the builder will walk it.
 */
class ApifyActorDockerfileTest {
    private static final String DOCKERFILE = """
            # Base image: an Apify Node.js image imported into the store.
            ARG NODE=20
            FROM apify/actor-node:${NODE} AS builder

            # package files first, so the npm layer stays cached while only sources change
            COPY --chown=myuser package*.json ./
            RUN npm install --include=dev --audit=false
            COPY --chown=myuser . ./
            RUN npm run build

            FROM apify/actor-node:${NODE}
            COPY --chown=myuser package*.json ./
            RUN npm --quiet set progress=false \\
                # comments may sit inside a continuation
                && npm install --omit=dev --omit=optional \\

                && echo "Node.js version:" && node --version
            COPY --from=builder --chown=myuser /home/myuser/dist ./dist
            COPY --chown=myuser . ./
            CMD ./start_xvfb_and_run_cmd.sh && npm run start:prod --silent
            """;

    @TempDir
    Path actor;

    @Test
    void shouldResolveEveryStepOfBothStages() {
        Dockerfile df = DockerfileParser.parse(DOCKERFILE);
        BuildArgs args = new BuildArgs(df, Map.of("NODE", "22"));

        List<ResolvedInstruction> builder = walk(df, 0, args);
        List<ResolvedInstruction> last = walk(df, 1, args);

        assertEquals(List.of(), args.unused());
        assertEquals(2, df.stages().size());
        assertEquals(new Copy(6, false, Optional.empty(), List.of("package*.json"), "/home/myuser/",
                Optional.of("myuser"), Optional.empty()), builder.get(0));
        assertEquals(List.of("/bin/sh", "-c", "npm install --include=dev --audit=false"),
                ((Run) builder.get(1)).argv());
        Run install = (Run) last.get(1);
        assertEquals(13, install.line());
        assertEquals(List.of("/bin/sh", "-c", "npm --quiet set progress=false     && npm install --omit=dev"
                + " --omit=optional     && echo \"Node.js version:\" && node --version"), install.argv());
        assertEquals(Optional.of("myuser"), install.user());
        Copy dist = (Copy) last.get(2);
        assertEquals(18, dist.line());
        assertEquals(Optional.of(new CopySource.StageOutput(0)), dist.from());
        assertEquals("/home/myuser/dist", dist.destination());
        assertEquals(new ResolvedInstruction.SetCmd(20, List.of("/bin/sh", "-c",
                "./start_xvfb_and_run_cmd.sh && npm run start:prod --silent")), last.get(4));
        assertEquals(List.of("Dockerfile line 13: empty continuation line (Docker will make it an error)"),
                df.warnings());
    }

    @Test
    void shouldSendTheActorDirectoryLessItsIgnoredFiles() throws IOException {
        for (String file : List.of(".actor/actor.json", ".actor/Dockerfile", "package.json", "package-lock.json",
                "src/main.ts", "node_modules/apify/index.js", "storage/key_value_stores/default/INPUT.json")) {
            Files.createDirectories(actor.resolve(file).getParent());
            Files.writeString(actor.resolve(file), file);
        }
        Files.writeString(actor.resolve(".dockerignore"), "# as apify create writes it\n.git\n.idea\ndist\n"
                + "node_modules\nstorage\n");
        BuildContext context = BuildContext.open(actor, actor.resolve(".actor/Dockerfile"));

        assertEquals(List.of(".actor", ".actor/Dockerfile", ".actor/actor.json", ".dockerignore", "package-lock.json",
                "package.json", "src", "src/main.ts"), context.entries().stream().map(ContextEntry::path).toList());
        assertEquals(2, context.sources("package*.json", 6).size());
    }

    /** The stage's steps, with the base image's config as the builder would pass it in. */
    private static List<ResolvedInstruction> walk(Dockerfile df, int index, BuildArgs args) {
        Stage stage = df.stages().get(index);
        StageState state = StageState.start(df, stage, args);
        assertEquals("apify/actor-node:22", state.base());
        state.inherit(Map.of("PATH", "/usr/local/bin:/usr/bin:/bin"), "/home/myuser", Optional.of("myuser"));
        List<ResolvedInstruction> steps = new ArrayList<>();
        stage.instructions().forEach(i -> steps.add(state.apply(i)));
        return steps;
    }
}
