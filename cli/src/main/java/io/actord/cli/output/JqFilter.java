package io.actord.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.CliException;
import io.actord.cli.Json;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;

import java.util.ArrayList;
import java.util.List;

/**
 * A jq expression ({@code --jq}), run by jackson-jq with jq 1.6's built-in functions. Results print as
 * {@code jq -r} prints them (and {@code gh --jq}): a string as its text, anything else as compact JSON, one a line.
 * The class (and the library) is loaded only when {@code --jq} is given.
 */
public final class JqFilter {
    private final String expression;
    private final JsonQuery query;
    private final Scope scope;

    private JqFilter(String expression, JsonQuery query, Scope scope) {
        this.expression = expression;
        this.query = query;
        this.scope = scope;
    }

    /** Compiles {@code expression}; a syntax error or an unknown function is a CliException naming it. */
    public static JqFilter compile(String expression) {
        Scope scope = Scope.newEmptyScope();
        BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, scope);
        try {
            return new JqFilter(expression, JsonQuery.compile(expression, Versions.JQ_1_6), scope);
        } catch (JsonQueryException e) {
            throw new CliException("--jq '" + expression + "': " + e.getMessage());
        }
    }

    /** Every output of the expression for {@code input}. */
    public List<JsonNode> apply(JsonNode input) {
        List<JsonNode> results = new ArrayList<>();
        try {
            query.apply(Scope.newChildScope(scope), input, results::add);
        } catch (JsonQueryException e) {
            throw new CliException("--jq '" + expression + "': " + e.getMessage());
        }
        return results;
    }

    /** A result as {@code jq -r} prints it. */
    public static String text(JsonNode result) {
        return result.isTextual() ? result.textValue() : Json.compact(result);
    }
}
