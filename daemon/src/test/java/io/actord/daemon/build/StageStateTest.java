package io.actord.daemon.build;

import io.actord.daemon.build.ResolvedInstruction.Copy;
import io.actord.daemon.build.ResolvedInstruction.CopySource;
import io.actord.daemon.build.ResolvedInstruction.Run;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The evaluator: what each instruction resolves to as a stage accumulates ENV, ARG, WORKDIR, USER and SHELL. */
class StageStateTest {
    /** A TEST-NET address: never contacted, only passed along. */
    private static final String PROXY = "http://192.0.2.1:3128";

    @Test
    void shouldExpandEnvWithTheValuesFromBeforeTheInstruction() {
        List<ResolvedInstruction> steps = walk("FROM x\nENV abc=hello\nENV abc=bye def=$abc\nENV ghi=$abc\n", Map.of());

        assertEquals(new ResolvedInstruction.SetEnv(3, Map.of("abc", "bye", "def", "hello")), steps.get(1));
        assertEquals(new ResolvedInstruction.SetEnv(4, Map.of("ghi", "bye")), steps.get(2));
    }

    @Test
    void shouldRemoveQuotesAndKeepLegacyEnvValuesWhole() {
        StageState state = state("FROM x\nENV a=\"two words\" b='$no' c=x\\ y\nENV d several words \"here\"\n",
                Map.of());

        assertEquals(Map.of("a", "two words", "b", "$no", "c", "x y", "d", "several words here"), state.env());
    }

    @Test
    void shouldLetEnvWinOverArgOfTheSameName() {
        List<ResolvedInstruction> steps = walk("FROM x\nARG v=arg\nENV v=env\nWORKDIR /$v\n", Map.of("v", "given"));

        assertEquals(new ResolvedInstruction.SetWorkdir(4, "/env"), steps.get(2));
    }

    @Test
    void shouldUseGlobalArgsInFromAndBuildArgsOverDefaults() {
        String text = "ARG TAG=20\nARG REPO=apify/actor-node\nFROM ${REPO}:${TAG} AS build\n";

        assertEquals("apify/actor-node:20", start(text, Map.of()).base());
        assertEquals("apify/actor-node:22", start(text, Map.of("TAG", "22")).base());
        assertEquals(Optional.of("linux/arm64"),
                start("ARG P=linux/arm64\nFROM --platform=$P x\n", Map.of()).platform());
        assertEquals(Optional.empty(), start("FROM x\n", Map.of()).platform());
        assertEquals("x:" + new BuildArgs(DockerfileParser.parse("FROM x\n"), Map.of()).global().get("TARGETARCH"),
                start("FROM x:$TARGETARCH\n", Map.of()).base());
    }

    @Test
    void shouldHideGlobalArgsInAStageUntilDeclaredAgain() {
        String text = "ARG V=global\nFROM x\nWORKDIR /a-$V\nARG V\nWORKDIR /b-$V\nARG V=stage\nWORKDIR /c-$V\n";

        assertEquals(List.of("/a-", "/b-global", "/c-stage"), workdirs(walk(text, Map.of())));
        assertEquals(List.of("/a-", "/b-given", "/c-given"), workdirs(walk(text, Map.of("V", "given"))));
    }

    @Test
    void shouldLeaveAnArgWithoutValueUnset() {
        List<ResolvedInstruction> steps = walk("FROM x\nARG V\nWORKDIR /${V-unset}/${V:-empty}\n", Map.of());

        assertEquals(new ResolvedInstruction.SetArgs(2, Map.of()), steps.get(0));
        assertEquals(new ResolvedInstruction.SetWorkdir(3, "/unset/empty"), steps.get(1));
    }

    @Test
    void shouldExpandArgDefaultsWithEarlierArgs() {
        StageState state = state("FROM x\nARG a=1\nARG b=$a-2 c=\"$a 3\"\n", Map.of());

        assertEquals(Map.of("a", "1", "b", "1-2", "c", "1 3"), state.args());
    }

    @Test
    void shouldListBuildArgsNoArgDeclares() {
        Dockerfile df = DockerfileParser.parse("ARG A\nFROM x\nARG B=1 C\n");
        Map<String, String> given = Map.of("A", "1", "C", "2", "D", "3", "HTTP_PROXY", "http://192.0.2.1:3128");

        assertEquals(List.of("D"), new BuildArgs(df, given).unused());
    }

    @Test
    void shouldRunShellFormsWithTheStageShellAndEnvironment() {
        List<ResolvedInstruction> steps = walk("FROM x\nARG MODE=ci\nENV NODE_ENV=production\nWORKDIR /app\nUSER node\n"
                + "RUN npm $MODE\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN [\"npm\", \"test\"]\n"
                + "RUN a | b\nCMD npm start\nENTRYPOINT [\"tini\", \"--\"]\n", Map.of("https_proxy", PROXY));
        Map<String, String> env = Map.of("MODE", "ci", "NODE_ENV", "production", "https_proxy", PROXY);

        assertEquals(new Run(6, List.of("/bin/sh", "-c", "npm $MODE"), env, "/app", Optional.of("node")), steps.get(4));
        assertEquals(new Run(8, List.of("npm", "test"), env, "/app", Optional.of("node")), steps.get(6));
        assertEquals(List.of("/bin/bash", "-o", "pipefail", "-c", "a | b"), ((Run) steps.get(7)).argv());
        assertEquals(new ResolvedInstruction.SetCmd(10, List.of("/bin/bash", "-o", "pipefail", "-c", "npm start")),
                steps.get(8));
        assertEquals(new ResolvedInstruction.SetEntrypoint(11, List.of("tini", "--")), steps.get(9));
    }

    @Test
    void shouldResolveWorkdirsAgainstThePreviousOne() {
        assertEquals(List.of("/app", "/app/src", "/app/lib", "/"),
                workdirs(walk("FROM x\nWORKDIR /app\nWORKDIR src\nWORKDIR ../lib/.\nWORKDIR ../../..\n", Map.of())));
    }

    @Test
    void shouldResolveCopyDestinationsAgainstTheWorkdir() {
        List<ResolvedInstruction> steps = walk("FROM x AS build\nFROM y\nARG U=1000\nWORKDIR /app\n"
                + "COPY package*.json ./\nCOPY --chown=$U:0 --chmod=644 a b\nADD [\"s p\", \"t\", \"dir/\"]\n"
                + "COPY --from=build /out .\nCOPY --from=0 /x /x/\nCOPY --from=nginx:1.25 /etc/n /n\n", Map.of());

        assertEquals(new Copy(5, false, Optional.empty(), List.of("package*.json"), "/app/", Optional.empty(),
                Optional.empty()), steps.get(2));
        assertEquals(new Copy(6, false, Optional.empty(), List.of("a"), "/app/b", Optional.of("1000:0"),
                Optional.of("644")), steps.get(3));
        assertEquals(new Copy(7, true, Optional.empty(), List.of("s p", "t"), "/app/dir/", Optional.empty(),
                Optional.empty()), steps.get(4));
        assertEquals(Optional.of(new CopySource.StageOutput(0)), ((Copy) steps.get(5)).from());
        assertEquals("/app/", ((Copy) steps.get(5)).destination());
        assertEquals(Optional.of(new CopySource.StageOutput(0)), ((Copy) steps.get(6)).from());
        assertEquals(Optional.of(new CopySource.Image("nginx:1.25")), ((Copy) steps.get(7)).from());
    }

    @Test
    void shouldRecordImageConfigInstructions() {
        List<ResolvedInstruction> steps = walk("FROM x\nENV P=8080 SIG=TERM\nEXPOSE $P 53/UDP 9000-9010\n"
                + "LABEL \"org.x\"=\"a b\" v=$P\nVOLUME /data $P\nSTOPSIGNAL SIG$SIG\nMAINTAINER me\n"
                + "HEALTHCHECK --interval=1m30s --timeout=500ms CMD curl -f http://localhost:$P/\n"
                + "HEALTHCHECK NONE\n", Map.of());

        assertEquals(new ResolvedInstruction.Expose(3, List.of("8080/tcp", "53/udp", "9000-9010/tcp")), steps.get(1));
        assertEquals(new ResolvedInstruction.SetLabels(4, Map.of("org.x", "a b", "v", "8080")), steps.get(2));
        assertEquals(new ResolvedInstruction.Volume(5, List.of("/data", "8080")), steps.get(3));
        assertEquals(new ResolvedInstruction.StopSignal(6, "SIGTERM"), steps.get(4));
        assertEquals(new ResolvedInstruction.SetMaintainer(7, "me"), steps.get(5));
        assertEquals(new Healthcheck(List.of("CMD-SHELL", "curl -f http://localhost:$P/"), Duration.ofSeconds(90),
                Duration.ofMillis(500), Duration.ZERO, Duration.ZERO, 0),
                ((ResolvedInstruction.SetHealthcheck) steps.get(6)).healthcheck());
        assertEquals(List.of("NONE"), ((ResolvedInstruction.SetHealthcheck) steps.get(7)).healthcheck().test());
    }

    @Test
    void shouldStartFromTheBaseConfigAndAnEarlierStage() {
        Dockerfile df = DockerfileParser.parse("FROM node:20 AS deps\nFROM deps\nENV PATH=/app/bin:$PATH\nRUN id\n");
        StageState state = StageState.start(df, df.stages().get(1), new BuildArgs(df, Map.of()));
        state.inherit(Map.of("PATH", "/usr/bin"), "/home/node", Optional.of("node"));
        state.apply(df.stages().get(1).instructions().get(0));
        Run run = (Run) state.apply(df.stages().get(1).instructions().get(1));

        assertEquals(Optional.of(0), state.baseStage());
        assertEquals(Map.of("PATH", "/app/bin:/usr/bin"), run.env());
        assertEquals("/home/node", run.workdir());
        assertEquals(Optional.of("node"), run.user());
    }

    @Test
    void shouldNameTheLineOfEvaluationErrors() {
        assertError("FROM x\n\nWORKDIR ${X\n", Map.of(), "Dockerfile line 3: WORKDIR syntax error: missing '}'");
        assertError("ARG B\nFROM $B\n", Map.of(), "Dockerfile line 2: base name ($B) should not be blank");
        assertError("FROM x\nCOPY a b c\n", Map.of(), "Dockerfile line 2: COPY with more than one source needs");
        assertError("FROM x\nADD https://example.com/x /\n", Map.of(), "Dockerfile line 2: ADD https://example.com/x:"
                + " remote sources are not supported");
        assertError("FROM x\nEXPOSE 80/icmp\n", Map.of(), "Dockerfile line 2: EXPOSE: invalid port \"80/icmp\"");
        assertError("FROM x\nCOPY --chmod=u+x a /b\n", Map.of(), "Dockerfile line 2: invalid --chmod=u+x");
        assertError("FROM x\nARG S\nCOPY --from=$S a /b\n", Map.of("S", "nothere"), "Dockerfile line 3: COPY"
                + " --from=nothere: no earlier stage");
        assertError("FROM x\nUSER ${NOBODY}\n", Map.of(), "Dockerfile line 2: USER ${NOBODY} is empty");
        assertError("FROM x\nSTOPSIGNAL kill me\n", Map.of(), "Dockerfile line 2: STOPSIGNAL: invalid signal");
    }

    private static void assertError(String text, Map<String, String> buildArgs, String message) {
        DockerfileException e = assertThrows(DockerfileException.class, () -> walk(text, buildArgs));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    private static List<String> workdirs(List<ResolvedInstruction> steps) {
        return steps.stream().filter(s -> s instanceof ResolvedInstruction.SetWorkdir)
                .map(s -> ((ResolvedInstruction.SetWorkdir) s).path()).toList();
    }

    private static StageState start(String text, Map<String, String> buildArgs) {
        return run(text, buildArgs).state();
    }

    private static StageState state(String text, Map<String, String> buildArgs) {
        return run(text, buildArgs).state();
    }

    /** The resolved steps of the last stage. */
    private static List<ResolvedInstruction> walk(String text, Map<String, String> buildArgs) {
        return run(text, buildArgs).steps();
    }

    private record Walk(StageState state, List<ResolvedInstruction> steps) {
    }

    /** Parses {@code text} and applies every instruction of its last stage. */
    private static Walk run(String text, Map<String, String> buildArgs) {
        Dockerfile df = DockerfileParser.parse(text);
        Stage last = df.stages().get(df.stages().size() - 1);
        StageState state = StageState.start(df, last, new BuildArgs(df, buildArgs));
        List<ResolvedInstruction> steps = new ArrayList<>();
        last.instructions().forEach(i -> steps.add(state.apply(i)));
        return new Walk(state, steps);
    }
}
