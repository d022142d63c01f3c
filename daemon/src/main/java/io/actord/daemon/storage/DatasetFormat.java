package io.actord.daemon.storage;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.api.ApiException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The formats dataset items are served in: a JSON array (the default, which apify-client parses), JSON
 * Lines, and CSV with nested values flattened into {@code a/b} and {@code list/0} columns as Apify does.
 */
public enum DatasetFormat {
    JSON("application/json; charset=utf-8", "json"),
    JSONL("application/jsonl; charset=utf-8", "jsonl"),
    CSV("text/csv; charset=utf-8", "csv");

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final String contentType;
    private final String extension;

    DatasetFormat(String contentType, String extension) {
        this.contentType = contentType;
        this.extension = extension;
    }

    /** The format for a {@code format} parameter; 400 invalid-value for the ones actord does not produce. */
    public static DatasetFormat of(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "json" -> JSON;
            case "jsonl" -> JSONL;
            case "csv" -> CSV;
            default -> throw ApiException.invalidValue("format '" + name + "' is not supported; use json, jsonl or csv");
        };
    }

    public String contentType() {
        return contentType;
    }

    public String extension() {
        return extension;
    }

    /**
     * How CSV is written.
     *
     * @param columns       the columns in order; empty to take every flattened field, in first-seen order
     * @param delimiter     the field separator
     * @param bom           start with a UTF-8 byte order mark (for spreadsheet programs)
     * @param skipHeaderRow leave out the header line
     */
    public record CsvOptions(List<String> columns, String delimiter, boolean bom, boolean skipHeaderRow) {
        public static CsvOptions defaults() {
            return new CsvOptions(List.of(), ",", false, false);
        }
    }

    /** The items (compact JSON objects) in this format. */
    public byte[] render(List<byte[]> items, CsvOptions csv) {
        return switch (this) {
            case JSON -> joined(items, "[", ",", "]");
            case JSONL -> joined(items, "", "\n", items.isEmpty() ? "" : "\n");
            case CSV -> csv(items, csv);
        };
    }

    private static byte[] joined(List<byte[]> items, String open, String separator, String close) {
        int size = open.length() + close.length() + Math.max(0, items.size() - 1) * separator.length();
        for (byte[] item : items) {
            size += item.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.writeBytes(open.getBytes(StandardCharsets.UTF_8));
        byte[] sep = separator.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.writeBytes(sep);
            }
            out.writeBytes(items.get(i));
        }
        out.writeBytes(close.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static byte[] csv(List<byte[]> items, CsvOptions options) {
        List<Map<String, String>> rows = new ArrayList<>(items.size());
        Set<String> seen = new LinkedHashSet<>();
        for (byte[] item : items) {
            Map<String, String> row = new LinkedHashMap<>();
            flatten("", DatasetStore.readTree(item), row);
            seen.addAll(row.keySet());
            rows.add(row);
        }
        List<String> columns = options.columns().isEmpty() ? new ArrayList<>(seen) : options.columns();
        StringBuilder sb = new StringBuilder();
        if (!options.skipHeaderRow()) {
            line(sb, columns, options.delimiter());
        }
        for (Map<String, String> row : rows) {
            List<String> values = new ArrayList<>(columns.size());
            columns.forEach(c -> values.add(row.getOrDefault(c, "")));
            line(sb, values, options.delimiter());
        }
        byte[] text = sb.toString().getBytes(StandardCharsets.UTF_8);
        if (!options.bom()) {
            return text;
        }
        byte[] out = new byte[BOM.length + text.length];
        System.arraycopy(BOM, 0, out, 0, BOM.length);
        System.arraycopy(text, 0, out, BOM.length, text.length);
        return out;
    }

    /** Objects become {@code a/b} columns, arrays {@code a/0}; a top-level scalar item is one column, "". */
    private static void flatten(String path, JsonNode node, Map<String, String> row) {
        if (node.isObject() || node.isArray()) {
            if (node.isEmpty() && !path.isEmpty()) {
                row.put(path, "");
                return;
            }
            if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    flatten(path.isEmpty() ? e.getKey() : path + "/" + e.getKey(), e.getValue(), row);
                }
            } else {
                for (int i = 0; i < node.size(); i++) {
                    flatten(path.isEmpty() ? Integer.toString(i) : path + "/" + i, node.get(i), row);
                }
            }
        } else if (node.isNull()) {
            row.put(path, "");
        } else {
            row.put(path, node.asText());
        }
    }

    /** One RFC 4180 line: a field with the delimiter, a quote, CR or LF is quoted, its quotes doubled. */
    private static void line(StringBuilder sb, List<String> fields, String delimiter) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(delimiter);
            }
            String f = fields.get(i);
            if (f.contains(delimiter) || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
                sb.append('"').append(f.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(f);
            }
        }
        sb.append("\r\n");
    }
}
