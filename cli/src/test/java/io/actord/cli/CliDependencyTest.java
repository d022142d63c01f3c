package io.actord.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The CLI speaks HTTP+JSON and imports no other actord module (DESIGN.md: cli depends on none of them);
 * its tests may start a daemon, its code may not. Nor does it build a Jackson ObjectMapper (see Json).
 */
class CliDependencyTest {
    @Test
    void shouldImportNoOtherActordModule() throws IOException {
        assertEquals(List.of(), linesMatching("import io.actord.", "import io.actord.cli"));
    }

    @Test
    void shouldNotUseJacksonDatabindsMapper() throws IOException {
        assertEquals(List.of(), linesMatching("ObjectMapper", "* "));
    }

    private static List<String> linesMatching(String pattern, String exempt) throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            return files.filter(p -> p.toString().endsWith(".java")).flatMap(p -> {
                try {
                    return Files.readAllLines(p).stream()
                            .filter(l -> l.contains(pattern) && !l.strip().startsWith(exempt))
                            .map(l -> p + ": " + l);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
    }
}
