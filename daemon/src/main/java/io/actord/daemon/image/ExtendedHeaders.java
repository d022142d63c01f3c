package io.actord.daemon.image;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The extended headers read before one tar member, which override its own header: GNU long names
 * ({@code L} the path, {@code K} the link target) and PAX records ({@code x}: path, linkpath, size, uid,
 * gid, mtime, {@code SCHILY.xattr.*}). A PAX record wins over a GNU long name, which wins over the
 * member's header. Their bytes are counted against {@link TarReader#MAX_EXTENDED_HEADER} together.
 * One instance per member.
 *
 * @see <a href="https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html#tag_20_92_13_03">pax extended header records</a>
 */
final class ExtendedHeaders {
    private static final String XATTR = "SCHILY.xattr.";

    private final Map<String, String> pax = new HashMap<>();
    private final Map<String, byte[]> xattrs = new HashMap<>();
    private String longName;
    private String longLink;
    private long bytes;

    /** Whether a header of this type flag extends the next member rather than being one. */
    static boolean isExtended(char typeFlag) {
        return typeFlag == 'L' || typeFlag == 'K' || typeFlag == 'x';
    }

    /** The name of an extended header's type in error messages. */
    static String describe(char typeFlag) {
        return switch (typeFlag) {
            case 'L' -> "GNU long name";
            case 'K' -> "GNU long link";
            default -> "PAX header";
        };
    }

    /** Counts an extended header of {@code size} bytes; refused when this member's would hold more than the cap. */
    void count(long size, TarHeader header) {
        bytes += size;
        if (bytes > TarReader.MAX_EXTENDED_HEADER) {
            throw header.invalid("the long names and PAX headers of one member hold more than "
                    + TarReader.MAX_EXTENDED_HEADER + " bytes");
        }
    }

    /** Applies the data of the extended {@code header}. */
    void add(TarHeader header, byte[] data) {
        switch (header.typeFlag()) {
            case 'L' -> longName = TarHeader.text(data);
            case 'K' -> longLink = TarHeader.text(data);
            default -> parsePax(data, header);
        }
    }

    /** GNU sparse files also come as PAX records of a plain file; they are refused rather than misread. */
    void refuseSparse(TarHeader member) {
        if (pax.keySet().stream().anyMatch(k -> k.startsWith("GNU.sparse."))) {
            throw member.invalid("GNU sparse files are not supported");
        }
    }

    String path(TarHeader member) {
        return pax.containsKey("path") ? pax.get("path") : longName != null ? longName : member.name();
    }

    String linkPath(TarHeader member) {
        return pax.containsKey("linkpath") ? pax.get("linkpath") : longLink != null ? longLink : member.linkName();
    }

    /** A non-negative PAX number ({@code size}, {@code uid}, {@code gid}), if there is a record for it. */
    OptionalLong number(String key, TarHeader member) {
        if (!pax.containsKey(key)) {
            return OptionalLong.empty();
        }
        try {
            long n = Long.parseLong(pax.get(key));
            if (n < 0) {
                throw new NumberFormatException();
            }
            return OptionalLong.of(n);
        } catch (NumberFormatException e) {
            throw member.invalid("PAX " + key + " is not a non-negative number: '" + pax.get(key) + "'");
        }
    }

    /** The PAX mtime in whole seconds (its fraction dropped), if there is one. */
    OptionalLong mtime(TarHeader member) {
        String value = pax.get("mtime");
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            int dot = value.indexOf('.');
            return OptionalLong.of(Long.parseLong(dot < 0 ? value : value.substring(0, dot)));
        } catch (NumberFormatException e) {
            throw member.invalid("PAX mtime is not a number: '" + value + "'");
        }
    }

    Map<String, byte[]> xattrs() {
        return xattrs;
    }

    /** Records are {@code "LENGTH KEY=VALUE\n"}, LENGTH counting the whole record in bytes. */
    private void parsePax(byte[] data, TarHeader header) {
        int i = 0;
        while (i < data.length) {
            int space = TarHeader.indexOf(data, (byte) ' ', i);
            if (space < 0) {
                throw header.invalid("malformed PAX record");
            }
            int length;
            try {
                length = Integer.parseInt(new String(data, i, space - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw header.invalid("malformed PAX record length");
            }
            int end = i + length;
            if (length <= 0 || end > data.length || data[end - 1] != '\n') {
                throw header.invalid("malformed PAX record");
            }
            int eq = TarHeader.indexOf(data, (byte) '=', space + 1);
            if (eq < 0 || eq >= end) {
                throw header.invalid("malformed PAX record");
            }
            String key = new String(data, space + 1, eq - space - 1, StandardCharsets.UTF_8);
            byte[] value = Arrays.copyOfRange(data, eq + 1, end - 1);
            if (key.startsWith(XATTR)) {
                xattrs.put(key.substring(XATTR.length()), value);
            } else {
                pax.put(key, new String(value, StandardCharsets.UTF_8));
            }
            i = end;
        }
    }
}
