package io.actord.daemon.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actord.daemon.common.Json;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Apify's payload and headers templates: JSON with {@code {{variable}}} (or {@code {{variable.field}}}) replaced
 * by the variable's JSON value; an unknown variable is {@code null}. Inside a JSON string, variables are replaced
 * only with {@code shouldInterpolateStrings}: a string that is exactly {@code "{{x}}"} becomes x's JSON value,
 * otherwise x's text is inserted into the string. The result is not checked: what the template makes is sent.
 */
public final class PayloadTemplate {
    /** Apify's default payload template. */
    public static final String DEFAULT = "{\"userId\": {{userId}}, \"createdAt\": {{createdAt}}, "
            + "\"eventType\": {{eventType}}, \"eventData\": {{eventData}}, \"resource\": {{resource}}}";

    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.]+)\\s*}}");

    private PayloadTemplate() {
    }

    /** {@code template} with the variables of {@code vars} (an object: name → value) put in. */
    public static String render(String template, ObjectNode vars, boolean interpolateStrings) {
        StringBuilder out = new StringBuilder(template.length() + 256);
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '"') {
                int end = stringEnd(template, i);
                out.append(string(template.substring(i, end), vars, interpolateStrings));
                i = end;
            } else {
                Matcher m = VARIABLE.matcher(template).region(i, template.length());
                if (m.lookingAt()) {
                    out.append(value(vars, m.group(1)).toString());
                    i = m.end();
                } else {
                    out.append(c);
                    i++;
                }
            }
        }
        return out.toString();
    }

    /** The index after the JSON string literal starting at {@code start} (or the end of the text). */
    private static int stringEnd(String s, int start) {
        int i = start + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '"') {
                return i + 1;
            } else {
                i++;
            }
        }
        return s.length();
    }

    private static String string(String literal, ObjectNode vars, boolean interpolate) {
        if (!interpolate) {
            return literal;
        }
        Matcher whole = VARIABLE.matcher(literal.substring(1, Math.max(1, literal.length() - 1)));
        if (literal.length() >= 2 && literal.endsWith("\"") && whole.matches()) {
            return value(vars, whole.group(1)).toString();
        }
        Matcher m = VARIABLE.matcher(literal);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            JsonNode v = value(vars, m.group(1));
            String text = v.isTextual() ? v.asText() : v.toString();
            m.appendReplacement(out, Matcher.quoteReplacement(escaped(text)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String escaped(String text) {
        try {
            String quoted = Json.MAPPER.writeValueAsString(text);
            return quoted.substring(1, quoted.length() - 1);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode value(ObjectNode vars, String path) {
        JsonNode node = vars;
        for (String part : path.split("\\.")) {
            node = node.path(part);
        }
        return node.isMissingNode() ? NullNode.getInstance() : node;
    }
}
