package io.actord.daemon.api;

import io.actord.daemon.testing.ItRuntime;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The error table: README's list of statuses and types is the enum's, row for row. */
class ErrorTypeTest {
    private static final Pattern ROW = Pattern.compile("^\\| (\\d{3}) \\| `([a-z-]+)` \\|", Pattern.MULTILINE);

    @Test
    void shouldListEveryErrorTypeInTheReadmeWithItsStatus() throws Exception {
        String readme = Files.readString(ItRuntime.checkout().resolve("README.md"));
        Set<String> documented = new TreeSet<>();
        Matcher m = ROW.matcher(readme);
        while (m.find()) {
            documented.add(m.group(1) + " " + m.group(2));
        }
        Set<String> declared = Arrays.stream(ErrorType.values()).map(t -> t.status() + " " + t.type())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(declared, documented);
    }
}
