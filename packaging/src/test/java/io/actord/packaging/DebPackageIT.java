package io.actord.packaging;

import io.actord.cli.CommandModel;
import io.actord.cli.Context;
import io.actord.daemon.DaemonConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built Debian package (target/actord_*.deb), read with Debian's dpkg-deb as dpkg would: its control fields,
 * conffiles and maintainer scripts, the files systemd/install lays out, and documentation generated from the programs
 * themselves (every daemon flag in actord(8), a man page for every actorctl command, completion as actorctl prints it).
 * Installing it under systemd is tests/systemd's (deb-checks).
 */
class DebPackageIT {
    private static final Path SYSTEMD = Path.of(System.getProperty("systemd.dir", "../systemd"));

    @TempDir
    static Path tmp;
    private static Path deb;
    private static Path root;
    /** Path in the package (without the leading ".") to its tar listing: mode, owner, link target. */
    private static Map<String, Entry> entries;

    record Entry(String mode, String owner, String linkTarget) {
    }

    @BeforeAll
    static void readPackage() throws IOException {
        Path dir = Path.of(System.getProperty("deb.dir", "target"));
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> debs = files.filter(p -> p.getFileName().toString().matches("actord_.*\\.deb")).toList();
            assertEquals(1, debs.size(), "one package in " + dir + ": " + debs);
            deb = debs.get(0);
        }
        root = tmp.resolve("root");
        run("dpkg-deb", "--extract", deb.toString(), root.toString());
        run("dpkg-deb", "--control", deb.toString(), tmp.resolve("DEBIAN").toString());
        entries = new TreeMap<>();
        for (String line : run("dpkg-deb", "--contents", deb.toString()).split("\n")) {
            // drwxr-xr-x root/root 0 2026-12-07 08:43 ./usr/  or  lrwxrwxrwx ... ./usr/bin/actord -> ../lib/...
            String[] f = line.split("\\s+", 6);
            String[] path = f[5].split(" -> ", 2);
            entries.put(path[0].substring(1), new Entry(f[0], f[1], path.length > 1 ? path[1] : null));
        }
    }

    @Test
    void shouldCarryTheProjectVersionAsTheJarsDo() throws IOException {
        String version = System.getProperty("project.version");
        assertEquals("actord " + version.replace("-SNAPSHOT", "~SNAPSHOT") + " " + System.getProperty("deb.arch"),
                run("dpkg-deb", "--showformat", "${Package} ${Version} ${Architecture}", "--show", deb.toString()));
        for (String jar : List.of("actord.jar", "actorctl.jar")) {
            try (JarFile file = new JarFile(root.resolve("usr/lib/actord/" + jar).toFile())) {
                assertEquals(version, file.getManifest().getMainAttributes().getValue("Implementation-Version"), jar);
            }
        }
    }

    @Test
    void shouldDependOnWhatTheDaemonRunsWith() {
        String depends = run("dpkg-deb", "--field", deb.toString(), "Depends");
        for (String p : List.of("openjdk-17-jre-headless", "e2fsprogs", "nftables", "containernetworking-plugins",
                "iproute2")) {
            assertTrue(Set.of(depends.split("[,|]\\s*")).stream().anyMatch(d -> d.strip().equals(p)),
                    p + " in Depends: " + depends);
        }
    }

    @Test
    void shouldKeepTheSettingsAsAConffile() throws IOException {
        assertEquals("/etc/actord/actord.conf", Files.readString(tmp.resolve("DEBIAN/conffiles")).strip());
        assertEquals(Files.readString(SYSTEMD.resolve("actord.conf")),
                Files.readString(root.resolve("etc/actord/actord.conf")));
    }

    @Test
    void shouldHaveMaintainerScriptsThatParse() throws IOException {
        for (String script : List.of("postinst", "prerm", "postrm")) {
            Path file = tmp.resolve("DEBIAN").resolve(script);
            assertTrue(Files.isExecutable(file), script + " is executable");
            assertTrue(Files.readString(file).startsWith("#!/bin/sh\n"), script + " is a POSIX sh script");
            run("sh", "-n", file.toString());
        }
        // Only purge deletes the state: no command outside postrm's purge branch names it, in any script.
        String postrm = Files.readString(tmp.resolve("DEBIAN/postrm"));
        int purge = postrm.indexOf("\npurge)\n");
        int end = postrm.indexOf("\n\t;;\n", purge);
        assertTrue(purge > 0 && end > purge, postrm);
        assertTrue(postrm.substring(purge, end).contains("rm -rf --one-file-system /var/lib/actord "), postrm);
        for (String script : List.of("postinst", "prerm", "postrm")) {
            String text = Files.readString(tmp.resolve("DEBIAN").resolve(script));
            String outside = script.equals("postrm") ? text.substring(0, purge) + text.substring(end) : text;
            assertEquals(List.of(), outside.lines().filter(l -> !l.strip().startsWith("#"))
                    .filter(l -> l.contains("rm ") && l.contains("/var/lib/actord")).toList(), script);
        }
    }

    @Test
    void shouldLayOutWhatSystemdInstallInstalls() throws IOException {
        Map<String, String> files = new TreeMap<>(Map.of(
                "/usr/lib/actord/actord.jar", "-rw-r--r--", "/usr/lib/actord/actorctl.jar", "-rw-r--r--",
                "/usr/lib/actord/bin/actord", "-rwxr-xr-x", "/usr/lib/actord/bin/actorctl", "-rwxr-xr-x",
                "/usr/lib/actord/bin/lib/common.sh", "-rw-r--r--", "/usr/lib/actord/actord-stop", "-rwxr-xr-x",
                "/usr/lib/actord/actord-runs-holder", "-rwxr-xr-x", "/usr/lib/actord/README.systemd.md", "-rw-r--r--",
                "/usr/lib/tmpfiles.d/actord.conf", "-rw-r--r--", "/etc/actord/actord.conf", "-rw-r--r--"));
        files.put("/usr/share/bash-completion/completions/actorctl", "-rw-r--r--");
        files.put("/usr/share/zsh/vendor-completions/_actorctl", "-rw-r--r--");
        try (Stream<Path> units = Files.list(SYSTEMD)) {
            units.map(p -> p.getFileName().toString()).filter(n -> n.matches(".*\\.(service|socket)"))
                    .forEach(n -> files.put("/lib/systemd/system/" + n, "-rw-r--r--"));
        }
        List<String> wrong = new ArrayList<>();
        files.forEach((path, mode) -> {
            Entry e = entries.get(path);
            if (e == null || !e.mode().equals(mode)) {
                wrong.add(path + " " + (e == null ? "missing" : e.mode()) + ", want " + mode);
            }
        });
        assertEquals(List.of(), wrong);
        assertEquals("../lib/actord/bin/actord", entries.get("/usr/bin/actord").linkTarget());
        assertEquals("../lib/actord/bin/actorctl", entries.get("/usr/bin/actorctl").linkTarget());
        assertEquals(Files.readString(SYSTEMD.resolve("actord.tmpfiles")),
                Files.readString(root.resolve("usr/lib/tmpfiles.d/actord.conf")));
        assertEquals(List.of(), entries.entrySet().stream().filter(e -> !e.getValue().owner().equals("root/root"))
                .map(Map.Entry::getKey).toList(), "owned by root");
    }

    @Test
    void shouldDocumentEveryDaemonFlag() throws IOException {
        String page = manPage("man8/actord.8.gz");
        Set<String> missing = flags(DaemonConfig.USAGE);
        missing.removeAll(flags(page));
        assertEquals(Set.of(), missing, "flags of actord --help missing from actord(8)");
        assertTrue(page.contains(".SH FILES") && page.contains("/etc/actord/actord.conf"), page);
    }

    @Test
    void shouldHaveAManPageForEveryActorctlCommand() throws IOException {
        CommandLine cli = CommandModel.full(new Context(new PrintStream(new ByteArrayOutputStream()), System.err,
                InputStream.nullInputStream(), Map.of(), Clock.systemUTC(), false, false));
        List<String> wrong = new ArrayList<>();
        List<CommandSpec> commands = new ArrayList<>(List.of(cli.getCommandSpec()));
        for (int i = 0; i < commands.size(); i++) {
            CommandSpec spec = commands.get(i);
            spec.subcommands().values().stream().map(CommandLine::getCommandSpec)
                    .filter(s -> !s.usageMessage().hidden() && !commands.contains(s)).forEach(commands::add);
            Path page = root.resolve("usr/share/man/man1/" + spec.qualifiedName("-") + ".1.gz");
            if (!Files.exists(page)) {
                wrong.add(page.getFileName() + " missing");
                continue;
            }
            Set<String> options = spec.options().stream().filter(o -> !o.hidden()).map(o -> o.longestName())
                    .filter(n -> n.startsWith("--")).collect(Collectors.toCollection(TreeSet::new));
            options.removeAll(flags(manPage("man1/" + page.getFileName())));
            if (!options.isEmpty()) {
                wrong.add(page.getFileName() + " lacks " + options);
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(commands.size() > 20, "commands: " + commands.size());
    }

    @Test
    void shouldCompleteAsThePackagedActorctlDoes() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = root.resolve("usr/lib/actord/actorctl.jar").toString();
        assertEquals(run(java, "-jar", jar, "completion", "bash"),
                Files.readString(root.resolve("usr/share/bash-completion/completions/actorctl")).strip());
        assertEquals(run(java, "-jar", jar, "completion", "zsh"),
                Files.readString(root.resolve("usr/share/zsh/vendor-completions/_actorctl")).strip());
    }

    /** A page of usr/share/man, unzipped, without groff's font changes and with its escaped hyphens ("\-") plain. */
    private static String manPage(String path) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(root.resolve("usr/share/man").resolve(path)))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("\\\\f[BIRP]", "")
                    .replace("\\-", "-");
        }
    }

    private static Set<String> flags(String text) {
        Set<String> flags = new TreeSet<>();
        Matcher m = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*[a-z0-9]").matcher(text);
        while (m.find()) {
            flags.add(m.group());
        }
        return flags;
    }

    /** Runs a command; its stdout, stripped. Fails the test on a non-zero exit. */
    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = p.waitFor();
            assertEquals(0, status, String.join(" ", command) + " exited " + status);
            return out.strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
