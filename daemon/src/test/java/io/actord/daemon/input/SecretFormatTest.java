package io.actord.daemon.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.actord.daemon.common.Json;
import org.junit.jupiter.api.Test;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretFormatTest {
    static final KeyPair KEYS = keys();

    static KeyPair keys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** @apify/utilities' privateDecrypt, step by step. */
    static String decrypt(String encryptedPassword, String encryptedValue, PrivateKey key) throws Exception {
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        rsa.init(Cipher.DECRYPT_MODE, key);
        byte[] password = rsa.doFinal(Base64.getDecoder().decode(encryptedPassword));
        assertEquals(48, password.length);
        Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(Arrays.copyOf(password, 32), "AES"),
                new GCMParameterSpec(128, Arrays.copyOfRange(password, 32, 48)));
        return new String(aes.doFinal(Base64.getDecoder().decode(encryptedValue)), StandardCharsets.UTF_8);
    }

    @Test
    void shouldEncryptAStringAsTheSdkDecryptsIt() throws Exception {
        String encrypted = SecretFormat.encrypt(TextNode.valueOf("pässword"), null, KEYS.getPublic());
        Matcher m = SecretFormat.ENCRYPTED.matcher(encrypted);
        assertTrue(m.matches(), encrypted);
        assertEquals("ENCRYPTED_VALUE", m.group(1));
        assertEquals(null, m.group(2));
        assertEquals("pässword", decrypt(m.group(3), m.group(4), KEYS.getPrivate()));
        assertFalse(encrypted.contains("word"));
    }

    @Test
    void shouldEncryptAnObjectAsJsonWithItsSchemaHash() throws Exception {
        JsonNode schema = Json.MAPPER.readTree("{\"type\": \"object\", \"editor\": \"json\", \"isSecret\": true}");
        String encrypted = SecretFormat.encrypt(Json.MAPPER.readTree("{\"token\": \"t1\", \"n\": 1.5}"), schema,
                KEYS.getPublic());
        Matcher m = SecretFormat.ENCRYPTED.matcher(encrypted);
        assertTrue(m.matches(), encrypted);
        assertEquals("ENCRYPTED_JSON", m.group(1));
        assertEquals(SecretFormat.schemaHash(schema), m.group(2));
        assertEquals("{\"token\":\"t1\",\"n\":1.5}", decrypt(m.group(3), m.group(4), KEYS.getPrivate()));
    }

    /** The hash node computes with @apify/input_secrets 1.2.60 for this schema (by encryptInputSecretValue). */
    @Test
    void shouldHashAFieldSchemaAsInputSecretsDoes() throws Exception {
        JsonNode schema = Json.MAPPER.readTree("{\"title\":\"Secret\",\"type\":\"object\",\"description\":\"d\","
                + "\"editor\":\"json\",\"isSecret\":true,\"minProperties\":1,"
                + "\"properties\":{\"b\":{\"type\":\"integer\","
                + "\"maximum\":1e+21,\"minimum\":1e-7,\"title\":\"x\"},\"a\":{\"type\":\"string\","
                + "\"pattern\":\"a\\u0001\\\"\\\\\"}}}");
        assertEquals("d27d5cf99f", SecretFormat.schemaHash(schema));
    }

    @Test
    void shouldWriteNumbersAsJavaScriptDoes() throws Exception {
        assertEquals("[1,1.5,1e+21,1e-7,0.000001,-2.5e-8,100,0]", JsJson.stringify(Json.MAPPER.readTree(
                "[1.0, 1.5, 1e21, 1e-7, 0.000001, -2.5e-8, 100, 0.0]"), false));
    }

    @Test
    void shouldTellWhichFieldsAnEncryptedValueFits() {
        assertTrue(SecretFormat.isEncryptedFor("ENCRYPTED_VALUE:QUJD:REVG", "string"));
        assertFalse(SecretFormat.isEncryptedFor("ENCRYPTED_VALUE:QUJD:REVG", "object"));
        assertTrue(SecretFormat.isEncryptedFor("ENCRYPTED_JSON:abc:QUJD:REVG", "array"));
        assertFalse(SecretFormat.isEncryptedFor("plain", "string"));
    }
}
