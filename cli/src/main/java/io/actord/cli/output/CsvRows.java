package io.actord.cli.output;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.Writer;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;

/**
 * Dataset items as CSV, as the daemon's {@code format=csv} (and Apify) writes one page: nested values become
 * {@code a/b} columns and array elements {@code list/0}, null and empty containers empty fields, and a field with a
 * comma, quote, CR or LF is quoted (RFC 4180, CRLF line ends). Used for exports larger than a page, whose columns
 * must be the same for every page.
 */
public final class CsvRows {
    private CsvRows() {
    }

    /** The item's fields by column name, in the order they appear. */
    public static Map<String, String> flatten(JsonNode item) {
        Map<String, String> row = new LinkedHashMap<>();
        flatten("", item, row);
        return row;
    }

    private static void flatten(String path, JsonNode node, Map<String, String> row) {
        if (!node.isContainerNode()) {
            row.put(path, node.isNull() ? "" : node.asText());
        } else if (node.isEmpty()) {
            if (!path.isEmpty()) {
                row.put(path, "");
            }
        } else if (node.isObject()) {
            for (Iterator<Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Entry<String, JsonNode> field = it.next();
                flatten(child(path, field.getKey()), field.getValue(), row);
            }
        } else {
            for (int i = 0; i < node.size(); i++) {
                flatten(child(path, Integer.toString(i)), node.get(i), row);
            }
        }
    }

    private static String child(String path, String name) {
        return path.isEmpty() ? name : path + "/" + name;
    }

    /** Writes one line of {@code fields}. */
    public static void line(Writer out, Collection<String> fields) throws IOException {
        boolean first = true;
        for (String f : fields) {
            if (!first) {
                out.write(',');
            }
            first = false;
            boolean quote = f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0;
            out.write(quote ? '"' + f.replace("\"", "\"\"") + '"' : f);
        }
        out.write("\r\n");
    }

    /** Writes {@code row}'s values in the order of {@code columns} (empty where it has none). */
    public static void row(Writer out, List<String> columns, Map<String, String> row) throws IOException {
        line(out, columns.stream().map(c -> row.getOrDefault(c, "")).toList());
    }
}
