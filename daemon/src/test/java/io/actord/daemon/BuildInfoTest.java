package io.actord.daemon;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BuildInfoTest {
    /** What Maven's filtering made of build.properties for these classes: a version, and a commit from git. */
    static final String BUILT = "\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?(\\+[0-9a-f]{7,40}(\\.dirty)?)?";

    @Test
    void shouldCarryTheVersionTheBuildWrote() {
        assertTrue(BuildInfo.version().matches(BUILT), BuildInfo.version());
    }

    @Test
    void shouldAddTheCommitAndWhetherTheCheckoutHadChanges() {
        assertEquals("1.2.3+abcdef1234", BuildInfo.describe(props("1.2.3", "abcdef1234")));
        assertEquals("1.2.3+abcdef1234.dirty", BuildInfo.describe(props("1.2.3", "abcdef1234.dirty")));
    }

    @Test
    void shouldDoWithoutACommitOutsideACheckout() {
        assertEquals("1.2.3", BuildInfo.describe(props("1.2.3", "${git.commit}")));
    }

    @Test
    void shouldSayDevForClassesTheBuildNeverFiltered() {
        assertEquals("1.2.3", BuildInfo.describe(props("1.2.3", "")));
        assertEquals("dev", BuildInfo.describe(props("${project.version}", "${git.commit}")));
        assertEquals("dev", BuildInfo.describe(new Properties()));
    }

    private static Properties props(String version, String commit) {
        Properties p = new Properties();
        p.setProperty("version", version);
        p.setProperty("commit", commit);
        return p;
    }
}
