package io.actord.daemon.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actord.daemon.common.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputSchemaTest {
    static final String SCHEMA = """
            {"title": "Crawler input", "type": "object", "schemaVersion": 1,
             "properties": {
               "url": {"title": "URL", "type": "string", "editor": "textfield", "description": "d",
                       "pattern": "^https?://", "prefill": "https://example.com"},
               "maxPages": {"title": "Max pages", "type": "integer", "description": "d", "default": 10,
                            "minimum": 1, "maximum": 1000, "sectionCaption": "Limits"},
               "mode": {"title": "Mode", "type": "string", "editor": "select", "description": "d",
                        "enum": ["fast", "slow"], "default": "fast"},
               "note": {"title": "Note", "type": "string", "editor": "textarea", "description": "d",
                        "nullable": true},
               "headers": {"title": "Headers", "type": "object", "editor": "json", "description": "d",
                           "patternKey": "^[A-Za-z-]+$"},
               "password": {"title": "Password", "type": "string", "editor": "textfield", "description": "d",
                            "isSecret": true}
             },
             "required": ["url"]}
            """;

    static InputSchema schema() throws Exception {
        return InputSchema.parse(Json.MAPPER.readTree(SCHEMA));
    }

    static ObjectNode json(String text) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(text);
    }

    /**
     * A pattern with catastrophic backtracking, which java.util.regex takes minutes over (JDK 17 defuses the
     * textbook {@code (a+)+$}, not this one): the input is
     * refused with a message naming the pattern once the time limit passes, for the standard {@code pattern} and
     * for Apify's {@code patternKey}/{@code patternValue} alike; the timeout fails the test where a match runs free.
     */
    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void shouldRefuseInputThatAPatternCannotMatchInTime() throws Exception {
        InputSchema slow = InputSchema.parse(Json.MAPPER.readTree("""
                {"title": "t", "type": "object", "properties": {
                  "word": {"title": "W", "type": "string", "editor": "textfield", "description": "d",
                           "pattern": "(.*a){12}$"},
                  "words": {"title": "Ws", "type": "array", "editor": "stringList", "description": "d",
                            "patternValue": "(.*a){12}$"},
                  "map": {"title": "M", "type": "object", "editor": "json", "description": "d",
                          "patternKey": "(.*a){12}$"}}}"""));
        String evil = "a".repeat(40) + "!";
        for (String input : List.of("{\"word\": \"" + evil + "\"}", "{\"words\": [\"" + evil + "\"]}",
                "{\"map\": {\"" + evil + "\": \"v\"}}")) {
            List<String> errors = slow.errors(json(input));
            assertEquals(1, errors.size(), input + ": " + errors);
            assertTrue(errors.get(0).contains("took longer than 200 ms"), errors.get(0));
        }
        String fine = "a".repeat(12);
        assertEquals(List.of(), slow.errors(json("{\"word\": \"" + fine + "\", \"words\": [\"" + fine + "\"]}")),
                "what matches quickly still matches");
    }

    @Test
    void shouldAcceptValidInput() throws Exception {
        ObjectNode input = json("{\"url\": \"https://a.test\", \"maxPages\": 5, \"note\": null}");
        assertEquals(List.of(), schema().errors(input));
    }

    @Test
    void shouldNameTheMissingRequiredField() throws Exception {
        assertEquals(List.of("Field input.url is required"), schema().errors(json("{}")));
    }

    @Test
    void shouldNameEachBadField() throws Exception {
        List<String> errors = schema().errors(json("{\"url\": \"ftp://x\", \"maxPages\": 0, \"mode\": \"odd\","
                + " \"headers\": {\"bad key\": \"v\"}}"));
        assertEquals(4, errors.size(), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("Field input.url ")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("Field input.maxPages ")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("Field input.mode ")), errors.toString());
        assertTrue(errors.contains("Keys [bad key] in input.headers must match regular expression \"^[A-Za-z-]+$\""),
                errors.toString());
    }

    @Test
    void shouldRefuseAWrongType() throws Exception {
        List<String> errors = schema().errors(json("{\"url\": 5}"));
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("Field input.url "), errors.get(0));
    }

    @Test
    void shouldRefuseNullForAFieldThatIsNotNullable() throws Exception {
        assertFalse(schema().errors(json("{\"url\": \"https://a.test\", \"mode\": null}")).isEmpty());
    }

    @Test
    void shouldFillDefaultsButNotPrefills() throws Exception {
        ObjectNode filled = schema().withDefaults(json("{\"maxPages\": 3}"));
        assertEquals(json("{\"maxPages\": 3, \"mode\": \"fast\"}"), filled);
    }

    @Test
    void shouldNotCheckAnAlreadyEncryptedSecret() throws Exception {
        String encrypted = "ENCRYPTED_VALUE:" + "QUJD" + ":" + "REVG";
        assertEquals(List.of(), schema().errors(json("{\"url\": \"https://a.test\", \"password\": \"" + encrypted
                + "\"}")));
        assertEquals(List.of("password"), schema().secretFields());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[]|the input schema must be a JSON object",
            "{\"type\": \"array\", \"properties\": {}}|Field schema.type must be equal to \"object\"",
            "{\"type\": \"object\", \"properties\": []}|Field schema.properties must be object",
            "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"date\"}}}|Field schema.properties.a is not"
                    + " matching any input schema type definition",
            "{\"type\": \"object\", \"properties\": {}, \"required\": [\"a\"]}|Field schema.properties.a does"
                    + " not exist, but it is specified in schema.required",
            "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\", \"pattern\": \"(\"}}}|Field"
                    + " schema.properties.a.pattern must be a valid regular expression",
            "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"integer\", \"minimum\": \"1\"}}}|Field"
                    + " schema.properties.a.minimum must be number",
            "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"integer\", \"default\": \"x\"}}}|Field"
                    + " schema.properties.a.default ",
            "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"boolean\", \"isSecret\": true}}}|Field"
                    + " schema.properties.a.isSecret is allowed only for string, object and array fields",
    })
    void shouldRefuseASchemaThatIsNotOne(String schema, String message) throws Exception {
        JsonNode node = Json.MAPPER.readTree(schema);
        InvalidSchemaException e = assertThrows(InvalidSchemaException.class, () -> InputSchema.parse(node));
        assertTrue(e.getMessage().startsWith("Input schema is not valid ("), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
