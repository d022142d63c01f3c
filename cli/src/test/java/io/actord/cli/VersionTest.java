package io.actord.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class VersionTest {
    @Test
    void shouldAddTheCommitWhenTheBuildHadOne() {
        assertEquals("1.2.3+abcdef1234", describe("version=1.2.3\ncommit=abcdef1234\n"));
        assertEquals("1.2.3+abcdef1234.dirty", describe("version=1.2.3\ncommit=abcdef1234.dirty\n"));
        assertEquals("1.2.3", describe("version=1.2.3\ncommit=${git.commit}\n"));
    }

    @Test
    void shouldSayDevWithoutAFilteredBuildProperties() {
        assertEquals("dev", describe("version=${project.version}\ncommit=\n"));
        assertEquals("dev", ActordCli.Version.describe(null));
    }

    private static String describe(String properties) {
        InputStream in = new ByteArrayInputStream(properties.getBytes(StandardCharsets.ISO_8859_1));
        return ActordCli.Version.describe(in);
    }
}
