package io.actord.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds a request target: a path of encoded segments and a query string without empty parameters. */
public final class Query {
    private final StringBuilder path = new StringBuilder();
    private final List<String> params = new ArrayList<>();

    private Query() {
    }

    /** A path whose literal parts are given as is; use {@link #segment} for user-provided ids and keys. */
    public static Query path(String literal) {
        Query q = new Query();
        q.path.append(literal);
        return q;
    }

    /** Appends "/" and {@code value}, percent-encoded so that a key with "/" or "?" stays one segment. */
    public Query segment(String value) {
        path.append('/').append(encode(value).replace("%7E", "~"));
        return this;
    }

    public Query literal(String more) {
        path.append(more);
        return this;
    }

    /** Adds {@code name=value}; a null value adds nothing. */
    public Query param(String name, Object value) {
        if (value != null) {
            params.add(encode(name) + "=" + encode(value.toString()));
        }
        return this;
    }

    /** Adds {@code name=1} when set, as apify-client serialises booleans (apify-api.md §1). */
    public Query flag(String name, boolean set) {
        return set ? param(name, "1") : this;
    }

    @Override
    public String toString() {
        return params.isEmpty() ? path.toString() : path + "?" + String.join("&", params);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
