package io.actord.daemon.storage;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;

import java.util.regex.Pattern;

/**
 * Key-value store record keys: Apify's {@code KEY_VALUE_STORE_KEY_REGEX} (1 to 256 of letters, digits and
 * {@code !-_.'()}), which already excludes '/', control characters and everything else a path or a
 * header could misread. "." and ".." match it but are refused too: tools that mirror a store onto files
 * (crawlee's local storage, {@code apify pull}) would resolve them as directories.
 */
public final class RecordKeys {
    private static final Pattern KEY = Pattern.compile("^[a-zA-Z0-9!\\-_.'()]{1,256}$");

    private RecordKeys() {
    }

    /** The key, or 400 invalid-record-key saying why it is refused. */
    public static String valid(String key) {
        if (!KEY.matcher(key).matches() || key.equals(".") || key.equals("..")) {
            throw new ApiException(ErrorType.INVALID_RECORD_KEY, "record key '" + printable(key) + "' is not valid: use 1"
                    + " to 256 characters of a-z, A-Z, 0-9 and !-_.'() (not '.' or '..')");
        }
        return key;
    }

    /** The key for an error message, with control characters escaped and long keys cut. */
    static String printable(String key) {
        StringBuilder sb = new StringBuilder();
        key.codePoints().limit(64).forEach(c -> {
            if (c < 0x20 || c == 0x7F) {
                sb.append(String.format("\\x%02x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return key.codePointCount(0, key.length()) > 64 ? sb + "..." : sb.toString();
    }
}
