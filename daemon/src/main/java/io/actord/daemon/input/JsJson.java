package io.actord.daemon.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * JSON text as JavaScript's {@code JSON.stringify} writes it (no spaces; numbers in JavaScript's form, 1 not 1.0
 * and 1e-7 not 1.0E-7; control characters as lowercase u00xx escapes), for values whose bytes Node.js code
 * hashes or parses: a secret's schema hash must be the one {@code @apify/input_secrets} computes.
 */
final class JsJson {
    private JsJson() {
    }

    /** {@code node} as JSON.stringify writes it, object keys sorted when {@code sortKeys}. */
    static String stringify(JsonNode node, boolean sortKeys) {
        StringBuilder out = new StringBuilder();
        write(node, sortKeys, out);
        return out.toString();
    }

    /** A copy of {@code node} with the keys {@code omit} left out of every object at any depth. */
    static JsonNode without(JsonNode node, Set<String> omit) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            node.fields().forEachRemaining(e -> {
                if (!omit.contains(e.getKey())) {
                    out.set(e.getKey(), without(e.getValue(), omit));
                }
            });
            return out;
        }
        if (node.isArray()) {
            var out = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> out.add(without(n, omit)));
            return out;
        }
        return node;
    }

    private static void write(JsonNode node, boolean sortKeys, StringBuilder out) {
        if (node.isObject()) {
            List<String> keys = new ArrayList<>();
            node.fieldNames().forEachRemaining(keys::add);
            if (sortKeys) {
                Collections.sort(keys);
            }
            out.append('{');
            for (int i = 0; i < keys.size(); i++) {
                out.append(i == 0 ? "" : ",");
                string(keys.get(i), out);
                out.append(':');
                write(node.get(keys.get(i)), sortKeys, out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                out.append(i == 0 ? "" : ",");
                write(node.get(i), sortKeys, out);
            }
            out.append(']');
        } else if (node.isTextual()) {
            string(node.asText(), out);
        } else if (node.isNumber()) {
            out.append(number(node));
        } else {
            out.append(node.isBoolean() ? String.valueOf(node.asBoolean()) : "null");
        }
    }

    /** JavaScript's Number#toString: plain from 1e-7 up to 1e21, else exponent form ("1e+21", "1.5e-7"). */
    static String number(JsonNode node) {
        double d = node.asDouble();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "null";
        }
        if (d == 0) {
            return "0";
        }
        BigDecimal v = new BigDecimal(node.isIntegralNumber() ? node.asText() : Double.toString(d))
                .stripTrailingZeros();
        int exponent = v.precision() - v.scale() - 1;
        if (exponent >= 21 || exponent < -6) {
            String digits = v.unscaledValue().abs().toString();
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return (v.signum() < 0 ? "-" : "") + mantissa + "e" + (exponent > 0 ? "+" : "") + exponent;
        }
        return v.toPlainString();
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
