package io.actord.daemon.input;

import com.fasterxml.jackson.databind.JsonNode;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Apify's encrypted input value, as {@code @apify/input_secrets} writes and the SDK's {@code Actor.getInput()}
 * reads it: a random 32-character AES-256-GCM key and 16-character IV (alphanumerics, as its
 * {@code cryptoRandomObjectId} makes them), the value encrypted under them with the 16-byte tag appended, and the
 * key and IV together encrypted with the RSA public key (OAEP, SHA-1). A string is
 * {@code ENCRYPTED_VALUE:<rsa, base64>:<aes, base64>}; an object or array is its JSON as
 * {@code ENCRYPTED_JSON:<schema hash>:<rsa>:<aes>}, the hash being the first 10 hex digits of the SHA-256 of the
 * field's schema without its UI keywords, keys sorted ({@code getFieldSchemaHash}).
 */
final class SecretFormat {
    static final String STRING_PREFIX = "ENCRYPTED_VALUE";
    static final String JSON_PREFIX = "ENCRYPTED_JSON";
    private static final String B64 = "[-A-Za-z0-9+/]*={0,3}";
    static final Pattern ENCRYPTED = Pattern.compile("^(" + STRING_PREFIX + "|" + JSON_PREFIX + "):(?:(" + B64
            + "):)?(" + B64 + "):(" + B64 + ")$");
    private static final Set<String> HASH_OMITS = Set.of("title", "description", "sectionCaption",
            "sectionDescription", "nullable", "example", "prefill", "editor");
    private static final String CHARS = "abcdefghijklmnopqrstuvwxyzABCEDFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretFormat() {
    }

    /** Whether {@code value} is an encrypted value a field of {@code type} may hold. */
    static boolean isEncryptedFor(String value, String type) {
        var m = ENCRYPTED.matcher(value);
        return m.matches() && !(STRING_PREFIX.equals(m.group(1)) && !"string".equals(type));
    }

    /** {@code value} (a string, object or array) encrypted for field {@code fieldSchema}. */
    static String encrypt(JsonNode value, JsonNode fieldSchema, PublicKey key) {
        if (value.isTextual()) {
            return STRING_PREFIX + ":" + encrypt(value.asText(), key);
        }
        return JSON_PREFIX + ":" + schemaHash(fieldSchema) + ":" + encrypt(JsJson.stringify(value, false), key);
    }

    /** {@code <rsa-encrypted key and IV>:<aes-gcm ciphertext and tag>}, both base64. */
    static String encrypt(String plain, PublicKey publicKey) {
        byte[] key = randomChars(32);
        byte[] iv = randomChars(16);
        try {
            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            byte[] value = aes.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] password = new byte[key.length + iv.length];
            System.arraycopy(key, 0, password, 0, key.length);
            System.arraycopy(iv, 0, password, key.length, iv.length);
            Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
            rsa.init(Cipher.ENCRYPT_MODE, publicKey);
            Base64.Encoder b64 = Base64.getEncoder();
            return b64.encodeToString(rsa.doFinal(password)) + ":" + b64.encodeToString(value);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encrypt a secret input value", e);
        }
    }

    /** {@code getFieldSchemaHash}: SHA-256 of the field's schema as JSON, UI keywords left out, keys sorted. */
    static String schemaHash(JsonNode fieldSchema) {
        String normalized = JsJson.stringify(JsJson.without(fieldSchema, HASH_OMITS), true);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(normalized.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 10);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256", e);
        }
    }

    private static byte[] randomChars(int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) CHARS.charAt(RANDOM.nextInt(CHARS.length()));
        }
        return out;
    }
}
