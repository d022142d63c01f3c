package io.actord.packaging;

import io.actord.cli.ActordCli;
import io.actord.cli.CommandModel;
import io.actord.cli.Context;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Writes actorctl's documentation for the Debian package into a directory, from the command tree itself, so a command or
 * option added to the CLI is documented without a second copy:
 * <ul>
 *   <li>{@code adoc/}: one AsciiDoc man page per command ({@code actorctl.adoc}, {@code actorctl-runs-list.adoc}, ...),
 *       by picocli's ManPageGenerator; {@code src/build/man-pages} turns them into man pages with asciidoctor;</li>
 *   <li>{@code completion/actorctl} and {@code completion/_actorctl}: the bash and zsh scripts, as
 *       {@code actorctl completion bash|zsh} prints them (that command, run in this JVM).</li>
 * </ul>
 * Usage: {@code PackageDocs DIR}
 */
public final class PackageDocs {
    private PackageDocs() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: PackageDocs DIR");
        }
        Path dir = Path.of(args[0]);
        CommandLine cli = CommandModel.full(quietContext(new ByteArrayOutputStream()));
        int status = ManPageGenerator.generateManPage(dir.resolve("adoc").toFile(), null, new boolean[0], true,
                cli.getCommandSpec());
        if (status != 0) {
            throw new IllegalStateException("picocli's ManPageGenerator failed with status " + status);
        }
        Files.createDirectories(dir.resolve("completion"));
        Files.writeString(dir.resolve("completion/actorctl"), completion("bash"));
        Files.writeString(dir.resolve("completion/_actorctl"), completion("zsh"));
    }

    /** What {@code actorctl completion SHELL} prints. */
    static String completion(String shell) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = ActordCli.execute(quietContext(out), "completion", shell);
        if (status != 0) {
            throw new IllegalStateException("actorctl completion " + shell + " exited " + status);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Streams that are no terminal (no colour), an empty environment; stdout into {@code out}, stderr to ours. */
    private static Context quietContext(ByteArrayOutputStream out) {
        return new Context(new PrintStream(out, true, StandardCharsets.UTF_8), System.err, InputStream.nullInputStream(),
                Map.of(), Clock.systemUTC(), false, false);
    }
}
