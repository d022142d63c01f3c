package io.actord.daemon.standby;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The API token of a standby request, taken out of it: the platform's token is for the platform, not for
 * the actor's server, so neither the {@code Authorization: Bearer} header nor the {@code token} query
 * parameter is passed on. Another Authorization scheme (Basic, say) is the actor's business and stays.
 */
final class StandbyCredentials {
    /** Longer than any token by far; a longer value is no token. */
    static final int MAX_TOKEN_CHARS = 512;

    private StandbyCredentials() {
    }

    /**
     * What was taken.
     *
     * @param token the token, header first, if either place had one
     * @param uri   the request target without its {@code token} parameters
     */
    record Taken(Optional<String> token, String uri) {
    }

    /** Takes the token out of {@code headers} (changed in place) and {@code uri}. */
    static Taken take(HttpHeaders headers, String uri) {
        Optional<String> fromHeader = Optional.empty();
        String auth = headers.get(HttpHeaderNames.AUTHORIZATION);
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            fromHeader = Optional.of(auth.substring(7).trim());
            headers.remove(HttpHeaderNames.AUTHORIZATION);
        }
        int q = uri.indexOf('?');
        if (q < 0) {
            return new Taken(fromHeader, uri);
        }
        int hash = uri.indexOf('#', q);
        String query = hash < 0 ? uri.substring(q + 1) : uri.substring(q + 1, hash);
        List<String> kept = new ArrayList<>();
        Optional<String> fromQuery = Optional.empty();
        for (String part : query.split("&", -1)) {
            int eq = part.indexOf('=');
            if ((eq < 0 ? part : part.substring(0, eq)).equals("token")) {
                if (fromQuery.isEmpty() && eq >= 0) {
                    fromQuery = Optional.of(part.substring(eq + 1));
                }
            } else {
                kept.add(part);
            }
        }
        if (fromQuery.isEmpty() && kept.size() == query.split("&", -1).length) {
            return new Taken(fromHeader, uri);
        }
        String rest = String.join("&", kept);
        String target = uri.substring(0, q) + (rest.isEmpty() ? "" : "?" + rest) + (hash < 0 ? "" : uri.substring(hash));
        return new Taken(fromHeader.isPresent() ? fromHeader : fromQuery, target);
    }

    /** Whether {@code token} has a token's characters (letters, digits, '_' and '-') and length. */
    static boolean wellFormed(String token) {
        return !token.isEmpty() && token.length() <= MAX_TOKEN_CHARS
                && token.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-'));
    }
}
