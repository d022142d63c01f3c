package io.actord.daemon.version;

import io.actord.daemon.common.StateDirectory;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Encrypts secret environment variables at rest: AES-256-GCM with a random 96-bit nonce per value, under a key
 * made once in a file of its own (0600, beside the state store, so a copy of the database or a backup of it
 * alone reveals no secret). The JDK's cipher: no library needed.
 */
public final class SecretBox {
    private static final String PREFIX = "aesgcm1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private SecretBox(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The box whose key is in {@code keyFile}, made (32 random bytes, 0600) if there is none yet. */
    public static SecretBox open(Path keyFile) {
        try {
            if (!Files.exists(keyFile)) {
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                StateDirectory.createPrivate(keyFile.getParent());
                try {
                    Files.write(Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------"))), fresh, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException raced) {
                    return open(keyFile);
                }
            }
            byte[] key = Files.readAllBytes(keyFile);
            if (key.length != 32) {
                throw new IllegalStateException("the secrets key " + keyFile + " must hold 32 bytes, it holds "
                        + key.length);
            }
            return new SecretBox(key);
        } catch (IOException e) {
            throw new UncheckedIOException("open the secrets key " + keyFile, e);
        }
    }

    public String seal(String plain) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encrypt a secret", e);
        }
    }

    /** The plain value; fails when it was sealed under another key or changed. */
    public String open(String sealed) {
        if (!sealed.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a sealed secret");
        }
        try {
            byte[] in = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            return new String(c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("a secret cannot be decrypted with the key (was the key file replaced?)",
                    e);
        }
    }
}
