package io.actord.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The CLI speaks HTTP+JSON and imports no other actord module (DESIGN.md: cli depends on none of them). */
class CliDependencyTest {
    @Test
    void shouldImportNoOtherActordModule() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            List<String> offending = files.filter(p -> p.toString().endsWith(".java")).flatMap(p -> {
                try {
                    return Files.readAllLines(p).stream()
                            .filter(l -> l.startsWith("import io.actord.") && !l.startsWith("import io.actord.cli"))
                            .map(l -> p + ": " + l);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
            assertEquals(List.of(), offending);
        }
    }
}
