package io.actord.daemon.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The checks of Apify's own field keywords, which JSON Schema does not know (as the platform's validator makes
 * them after the standard ones): {@code patternKey} and {@code patternValue} of objects and of the
 * {@code keyValue} and {@code stringList} array editors, the URLs of a {@code requestListSources} array, and a
 * required {@code proxy} object that names no proxy.
 */
final class ApifyKeywords {
    private static final Pattern URL = Pattern.compile("^https?://\\S+$", Pattern.CASE_INSENSITIVE);

    private ApifyKeywords() {
    }

    /** The problems of {@code input}'s fields; {@code required}: the fields the schema requires. */
    static List<String> errors(Map<String, JsonNode> fields, List<String> required, ObjectNode input) {
        List<String> errors = new ArrayList<>();
        fields.forEach((key, f) -> {
            JsonNode value = input.get(key);
            String type = f.path("type").asText();
            String editor = f.path("editor").asText();
            if ("array".equals(type) && value != null && value.isArray()) {
                array(key, f, editor, value, errors);
            }
            if ("object".equals(type) && value != null && value.isObject()) {
                object(key, f, value, errors);
                if ("proxy".equals(editor) && required.contains(key) && !value.path("useApifyProxy").asBoolean(false)
                        && (!value.path("proxyUrls").isArray() || value.get("proxyUrls").isEmpty())) {
                    errors.add("Field input." + key + " is required. Please provide custom proxy URLs or use Apify"
                            + " Proxy.");
                }
            }
        });
        return errors;
    }

    private static void array(String key, JsonNode f, String editor, JsonNode value, List<String> errors) {
        if ("requestListSources".equals(editor)) {
            List<Integer> bad = new ArrayList<>();
            for (int i = 0; i < value.size(); i++) {
                JsonNode item = value.get(i);
                String url = item.path("url").asText(null);
                String from = item.path("requestsFromUrl").asText(null);
                if ((url == null && from == null) || (url != null && !URL.matcher(url).matches())
                        || (from != null && !URL.matcher(from).matches())) {
                    bad.add(i);
                }
            }
            if (!bad.isEmpty()) {
                errors.add("Items in input." + key + " at positions " + positions(bad) + " do not contain valid URLs");
            }
        }
        String patternKey = f.path("patternKey").asText(null);
        String patternValue = f.path("patternValue").asText(null);
        if ("keyValue".equals(editor)) {
            matchItems(value, patternKey, "key", "Keys", key, errors);
            matchItems(value, patternValue, "value", "Values", key, errors);
        } else if ("stringList".equals(editor)) {
            matchItems(value, patternValue, null, "Values", key, errors);
        }
    }

    private static void matchItems(JsonNode value, String pattern, String member, String what, String key,
                                   List<String> errors) {
        if (pattern == null) {
            return;
        }
        Pattern p = Pattern.compile(pattern);
        List<Integer> bad = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = member == null ? value.get(i) : value.get(i).path(member);
            if (!item.isTextual() || !BoundedRegex.find(p, item.asText())) {
                bad.add(i);
            }
        }
        if (!bad.isEmpty()) {
            errors.add(what + " in input." + key + " at positions " + positions(bad) + " must match regular expression"
                    + " \"" + pattern + "\"");
        }
    }

    private static void object(String key, JsonNode f, JsonNode value, List<String> errors) {
        String patternKey = f.path("patternKey").asText(null);
        String patternValue = f.path("patternValue").asText(null);
        List<String> badKeys = new ArrayList<>();
        List<String> badValues = new ArrayList<>();
        value.fields().forEachRemaining(e -> {
            if (patternKey != null && !BoundedRegex.find(Pattern.compile(patternKey), e.getKey())) {
                badKeys.add(e.getKey());
            }
            if (patternValue != null && (!e.getValue().isTextual()
                    || !BoundedRegex.find(Pattern.compile(patternValue), e.getValue().asText()))) {
                badValues.add(e.getKey());
            }
        });
        if (!badKeys.isEmpty()) {
            errors.add("Keys [" + String.join(",", badKeys) + "] in input." + key + " must match regular expression \""
                    + patternKey + "\"");
        }
        if (!badValues.isEmpty()) {
            errors.add("Keys [" + String.join(",", badValues) + "] in input." + key + " must have string value which"
                    + " matches regular expression \"" + patternValue + "\"");
        }
    }

    private static String positions(List<Integer> bad) {
        return "[" + String.join(",", bad.stream().map(String::valueOf).toList()) + "]";
    }
}
