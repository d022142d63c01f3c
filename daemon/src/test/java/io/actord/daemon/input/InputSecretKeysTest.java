package io.actord.daemon.input;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputSecretKeysTest {
    @TempDir
    Path dir;

    @Test
    void shouldMakeThePairOnceWithPrivateFiles() throws Exception {
        Path keys = dir.resolve("state/input-secrets");
        InputSecretKeys first = InputSecretKeys.open(keys);
        assertFalse(Files.exists(keys), "made at first use, not before");
        first.publicKey();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                keys.resolve(InputSecretKeys.PRIVATE_KEY))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                keys.resolve(InputSecretKeys.PASSPHRASE))));
        InputSecretKeys again = InputSecretKeys.open(keys);
        assertEquals(first.publicKey(), again.publicKey());
        assertEquals(first.environment(), again.environment());
    }

    @Test
    void shouldGiveRunsTheEncryptedPemAndItsPassphrase() {
        Map<String, String> env = InputSecretKeys.open(dir.resolve("k")).environment();
        String pem = new String(Base64.getDecoder().decode(env.get("APIFY_INPUT_SECRETS_PRIVATE_KEY_FILE")),
                StandardCharsets.US_ASCII);
        assertTrue(pem.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"), pem);
        assertTrue(env.get("APIFY_INPUT_SECRETS_PRIVATE_KEY_PASSPHRASE").length() >= 40);
    }
}
