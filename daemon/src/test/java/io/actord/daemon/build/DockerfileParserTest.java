package io.actord.daemon.build;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The parser against a table of Dockerfiles and what they parse to, one line per instruction:
 * {@code LINE keyword [--flag=value] "arg" "arg"} (a JSON form's args in brackets). Many rows restate the tricky
 * cases of BuildKit's parser test data in our own words.
 */
class DockerfileParserTest {

    static Stream<Arguments> dockerfiles() {
        return Stream.of(
                arguments("instructions are case-insensitive", "from alpine\nRun echo hi\ncmd [\"sh\"]\n",
                        "1 from \"alpine\"|2 run \"echo hi\"|3 cmd [\"sh\"]"),
                arguments("comment and empty lines inside a continuation are skipped",
                        "FROM x\nRUN echo a && \\\n# a comment\n\n    echo b\n",
                        "1 from \"x\"|2 run \"echo a &&     echo b\""),
                arguments("a comment ending in a backslash does not continue",
                        "FROM x\n# RUN commands \\\n# more \\\nRUN ls\n", "1 from \"x\"|4 run \"ls\""),
                arguments("blanks after the continuation character are allowed", "FROM x\nRUN a \\  \t\n  b\n",
                        "1 from \"x\"|2 run \"a   b\""),
                arguments("an escaped escape at the end of a line ends the line",
                        "FROM x\nENV C trailing\\\\backslash\\\\\nENV D next\n",
                        "1 from \"x\"|2 env \"C\" \"trailing\\\\backslash\\\\\"|3 env \"D\" \"next\""),
                arguments("a line holding only the escape continues",
                        "FROM x\nENV E hello\\\n\\\nworld\nENV F hello\\\n \\\nworld\n",
                        "1 from \"x\"|2 env \"E\" \"helloworld\"|5 env \"F\" \"hello world\""),
                arguments("escape directive: a backtick continues, a backslash is text",
                        "# escape=`\n\nFROM image\nENV GOPATH `\n\\go\nRUN dir c:\\\n",
                        "3 from \"image\"|4 env \"GOPATH\" \"\\go\"|6 run \"dir c:\\\""),
                arguments("a directive after a comment is just a comment",
                        "# hello\n# escape=`\nFROM x\nRUN a \\\n  b\n", "3 from \"x\"|4 run \"a   b\""),
                arguments("directive names and spacing are loose", "#  ESCAPE = ` \nFROM x\nRUN a `\nb\n",
                        "2 from \"x\"|3 run \"a b\""),
                arguments("CRLF line ends and a byte-order mark", "\uFEFFFROM x\r\nRUN a \\\r\n b\r\n",
                        "1 from \"x\"|2 run \"a  b\""),
                arguments("not JSON is the shell form", "FROM x\nRUN [ -f /x ] && echo y\nCMD [\"a\", 'b']\n",
                        "1 from \"x\"|2 run \"[ -f /x ] && echo y\"|3 cmd \"[\\\"a\\\", 'b']\""),
                arguments("JSON keeps quotes inside strings", "FROM x\nRUN [\"echo\", \"'1234'\"]\nENTRYPOINT []\n",
                        "1 from \"x\"|2 run [\"echo\", \"'1234'\"]|3 entrypoint []"),
                arguments("ENV new form keeps quotes for substitution",
                        "FROM x\nENV a=1 b=\"two words\" c=x\\ y d=''\n",
                        "1 from \"x\"|2 env \"a\" \"1\" \"b\" \"\\\"two words\\\"\" \"c\" \"x\\ y\" \"d\" \"''\""),
                arguments("ENV legacy form takes the rest of the line",
                        "FROM x\nENV SCUBA 1 DUBA 3\nENV SCUBA \"1 DUBA 3\"\n",
                        "1 from \"x\"|2 env \"SCUBA\" \"1 DUBA 3\"|3 env \"SCUBA\" \"\\\"1 DUBA 3\\\"\""),
                arguments("LABEL, legacy and new", "FROM x\nLABEL maintainer docker <d@d.io>\nLABEL a=b \"c d\"=e\n",
                        "1 from \"x\"|2 label \"maintainer\" \"docker <d@d.io>\""
                                + "|3 label \"a\" \"b\" \"\\\"c d\\\"\" \"e\""),
                arguments("ARG before FROM and several names on one ARG", "ARG V=1\nFROM x:$V\nARG a b=2\n",
                        "global 1 arg \"V=1\"|2 from \"x:$V\"|3 arg \"a\" \"b=2\""),
                arguments("stages with AS, names lower-cased", "FROM a AS Build\nRUN make\nFROM b as final\n"
                        + "COPY --from=build /out /app\nCOPY --from=0 /x /y\n",
                        "1 from \"a\" as build|2 run \"make\"|3 from \"b\" as final"
                                + "|4 copy --from=build \"/out\" \"/app\""
                                + "|5 copy --from=0 \"/x\" \"/y\""),
                arguments("COPY flags, JSON form and an image as --from",
                        "FROM x\nCOPY --chown=1000:1000 --chmod=755 --link [\"a b\", \"/c/\"]\n"
                                + "COPY --from=nginx:1.25 /etc/nginx /n\nADD --link=false f.tar /\n",
                        "1 from \"x\"|2 copy --chmod=755 --chown=1000:1000 --link=true [\"a b\", \"/c/\"]"
                                + "|3 copy --from=nginx:1.25 \"/etc/nginx\" \"/n\"|4 add --link=false \"f.tar\" \"/\""),
                arguments("quoted flag values lose their quotes", "FROM x\nCOPY --chown=\"app:app\" a /b\n",
                        "1 from \"x\"|2 copy --chown=app:app \"a\" \"/b\""),
                arguments("FROM --platform", "FROM --platform=$BUILDPLATFORM golang AS b\n",
                        "1 from --platform=$BUILDPLATFORM \"golang\" as b"),
                arguments("string instructions take the whole rest", "FROM x\nWORKDIR /a b\nUSER docker:root\n"
                                + "STOPSIGNAL SIGKILL\nMAINTAINER Me <me@x>\nEXPOSE 80 443/tcp\nVOLUME /a /b\n"
                                + "VOLUME [\"/c\"]\nSHELL [\"/bin/bash\", \"-c\"]\n",
                        "1 from \"x\"|2 workdir \"/a b\"|3 user \"docker:root\"|4 stopsignal \"SIGKILL\"|5 maintainer"
                                + " \"Me <me@x>\"|6 expose \"80\" \"443/tcp\"|7 volume \"/a\" \"/b\"|8 volume [\"/c\"]"
                                + "|9 shell [\"/bin/bash\", \"-c\"]"),
                arguments("HEALTHCHECK forms", "FROM x\nHEALTHCHECK NONE\nHEALTHCHECK --interval=5s --retries=3"
                                + " CMD curl -f http://localhost/\nHEALTHCHECK cmd [\"true\"]\n",
                        "1 from \"x\"|2 healthcheck \"NONE\"|3 healthcheck --interval=5s --retries=3 \"CMD\" \"curl -f"
                                + " http://localhost/\"|4 healthcheck [\"CMD\", \"true\"]"),
                arguments("a here-string is not a heredoc", "FROM x\nRUN cat <<< \"hi\"\n",
                        "1 from \"x\"|2 run \"cat <<< \\\"hi\\\"\""),
                arguments("<< in quotes or a shift is not a heredoc", "FROM x\nRUN echo \"a<<EOF\" 'b<<c' $((1<<2))\n",
                        "1 from \"x\"|2 run \"echo \\\"a<<EOF\\\" 'b<<c' $((1<<2))\""),
                arguments("blank and comment lines after an instruction are skipped",
                        "FROM x\nRUN a \\\n  b\n\n# end\n", "1 from \"x\"|2 run \"a   b\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dockerfiles")
    void shouldParseAsBuildKitDoes(String name, String text, String expected) {
        assertEquals(expected.replace("|", "\n"), render(DockerfileParser.parse(text)));
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                arguments("FROM x\n\nRUN a \\\n  b\nFOO bar\n", "Dockerfile line 5: unknown instruction FOO"),
                arguments("FROM x\nRUN a \\\n", "Dockerfile line 2: unterminated line continuation at the end"),
                arguments("FROM x\nRUN a \\\n# only a comment\n", "Dockerfile line 2: unterminated line continuation"),
                arguments("# escape=`\n# escape=\\\nFROM x\n", "Dockerfile line 2: only one escape parser directive"),
                arguments("# escape=x\nFROM x\n", "Dockerfile line 1: invalid escape token 'x'"),
                arguments("", "file with no instructions"),
                arguments("# only\n\n# comments\n", "file with no instructions"),
                arguments("ARG a\n", "no FROM instruction"),
                arguments("RUN x\nFROM y\n", "Dockerfile line 1: RUN before the first FROM"),
                arguments("FROM x\nRUN [\"a\", 1]\n", "Dockerfile line 2: when using JSON array syntax"),
                arguments("FROM x\nCMD [\"a\", [\"b\"]]\n", "Dockerfile line 2: when using JSON array syntax"),
                arguments("FROM x\nRUN\n", "Dockerfile line 2: RUN requires at least one argument"),
                arguments("FROM x\nCOPY onlyone\n", "Dockerfile line 2: COPY requires at least two arguments, but only"
                        + " one was provided"),
                arguments("FROM x\nADD [\"a\"]\n", "Dockerfile line 2: ADD requires at least two arguments"),
                arguments("FROM x\nENV\n", "Dockerfile line 2: ENV requires at least one argument"),
                arguments("FROM x\nENV onlykey\n", "Dockerfile line 2: ENV must have two arguments"),
                arguments("FROM x\nENV a=1 b\n", "Dockerfile line 2: Syntax error - can't find = in \"b\""),
                arguments("FROM x\nLABEL =v\n", "Dockerfile line 2: LABEL names can not be blank"),
                arguments("FROM x\nWORKDIR\n", "Dockerfile line 2: WORKDIR requires exactly one argument"),
                arguments("FROM x\nEXPOSE\n", "Dockerfile line 2: EXPOSE requires at least one argument"),
                arguments("FROM x\nVOLUME [\"\"]\n", "Dockerfile line 2: VOLUME specified can not be an empty string"),
                arguments("FROM x\nSHELL /bin/bash -c\n", "Dockerfile line 2: SHELL requires the arguments"),
                arguments("FROM\n", "Dockerfile line 1: FROM requires at least one argument"),
                arguments("FROM a b\n", "Dockerfile line 1: FROM requires either one or three arguments"),
                arguments("FROM a AS 1st\n", "Dockerfile line 1: invalid name for build stage: \"1st\""),
                arguments("FROM a AS b\nFROM c AS B\n", "Dockerfile line 2: duplicate stage name \"b\""),
                arguments("FROM a\nCOPY --from=later /x /y\nFROM b AS later\n", "Dockerfile line 2: COPY --from=later:"
                        + " no earlier stage is named \"later\""),
                arguments("FROM a AS one\nCOPY --from=one /x /y\n", "Dockerfile line 2: COPY --from=one: a stage"),
                arguments("FROM a\nCOPY --from=0 /x /y\n", "Dockerfile line 2: COPY --from=0: stage 0 is the current"),
                arguments("FROM a\nFROM b\nCOPY --from=2 /x /y\n", "Dockerfile line 3: COPY --from=2: stage 2 is not"),
                arguments("FROM a\nCOPY --from /x /y\n", "Dockerfile line 2: missing a value on flag: --from"),
                arguments("FROM a\nCOPY --from=a --from=b /x /y\n", "Dockerfile line 2: duplicate flag specified"),
                arguments("FROM a\nCOPY --nope=1 /x /y\n", "Dockerfile line 2: unknown flag: --nope"),
                arguments("FROM a\nWORKDIR --x=1 /a\n", "Dockerfile line 2: unknown flag: --x (WORKDIR takes no"),
                arguments("FROM a\nRUN --mount=type=cache,target=/c make\n", "Dockerfile line 2: RUN --mount is not"
                        + " supported"),
                arguments("FROM a\nADD --checksum=sha256:00 https://x/y /\n", "Dockerfile line 2: ADD --checksum is"),
                arguments("FROM a\nCOPY --link=maybe a b\n", "Dockerfile line 2: expecting boolean value for flag"),
                arguments("FROM a\nONBUILD RUN make\n", "Dockerfile line 2: ONBUILD is not supported"),
                arguments("FROM a\nRUN <<EOF\necho hi\nEOF\n", "Dockerfile line 2: heredocs (RUN <<EOF) are not"),
                arguments("FROM a\nCOPY <<-\"EOT\" /x\nhi\nEOT\n", "Dockerfile line 2: heredocs (COPY <<EOF)"),
                arguments("FROM a\nHEALTHCHECK --interval=5 CMD true\n", "Dockerfile line 2: invalid duration for"
                        + " --interval: \"5\""),
                arguments("FROM a\nHEALTHCHECK --timeout=10us CMD true\n", "Dockerfile line 2: interval --timeout"
                        + " cannot be less than 1ms"),
                arguments("FROM a\nHEALTHCHECK --retries=-1 CMD true\n", "Dockerfile line 2: --retries cannot be"),
                arguments("FROM a\nHEALTHCHECK CMD\n", "Dockerfile line 2: missing command after HEALTHCHECK CMD"),
                arguments("FROM a\nHEALTHCHECK NONE x\n", "Dockerfile line 2: HEALTHCHECK NONE takes no arguments"),
                arguments("FROM a\nHEALTHCHECK RUN x\n", "Dockerfile line 2: unknown type \"RUN\" in HEALTHCHECK"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("errors")
    void shouldRejectWithTheLineNamed(String text, String message) {
        DockerfileException e = assertThrows(DockerfileException.class, () -> DockerfileParser.parse(text));
        assertTrue(e.getMessage().startsWith(message) || (!message.startsWith("Dockerfile line")
                && e.getMessage().contains(message)), "message: " + e.getMessage());
    }

    @Test
    void shouldWarnAboutEmptyContinuationLinesAndIgnoredDirectives() {
        Dockerfile df = DockerfileParser.parse("# syntax=docker/dockerfile:1\nFROM x\nRUN a \\\n\n  b\n");

        assertEquals(2, df.warnings().size(), df.warnings().toString());
        assertTrue(df.warnings().get(0).contains("line 1: the syntax directive is ignored"), df.warnings().toString());
        assertTrue(df.warnings().get(1).contains("line 3: empty continuation line"), df.warnings().toString());
    }

    @Test
    void shouldFindStagesByNameOrIndex() {
        Dockerfile df = DockerfileParser.parse("FROM a AS Builder\nFROM b\n");

        assertEquals(0, df.stage("builder").orElseThrow().index());
        assertEquals(0, df.stage("BUILDER").orElseThrow().index());
        assertEquals(1, df.stage("1").orElseThrow().index());
        assertTrue(df.stage("2").isEmpty());
        assertEquals("b", df.stages().get(1).base());
    }

    /** One line per instruction; stages' FROM lines with their name, global ARGs prefixed with "global". */
    static String render(Dockerfile df) {
        List<String> lines = new ArrayList<>();
        df.globalArgs().forEach(i -> lines.add("global " + render(i)));
        for (Stage stage : df.stages()) {
            lines.add(render(stage.from()) + stage.name().map(n -> " as " + n).orElse(""));
            stage.instructions().forEach(i -> lines.add(render(i)));
        }
        return String.join("\n", lines);
    }

    private static String render(Instruction i) {
        StringBuilder s = new StringBuilder().append(i.line()).append(' ')
                .append(i.keyword().name().toLowerCase(Locale.ROOT));
        new TreeMap<>(i.flags()).forEach((k, v) -> s.append(" --").append(k).append('=').append(v));
        List<String> args = i.keyword() == Keyword.FROM ? i.args().subList(0, 1) : i.args();
        List<String> quoted = args.stream().map(a -> "\"" + a.replace("\"", "\\\"") + "\"").toList();
        if (i.json()) {
            s.append(" [").append(String.join(", ", quoted)).append(']');
        } else if (!quoted.isEmpty()) {
            s.append(' ').append(String.join(" ", quoted));
        }
        return s.toString();
    }
}
