package io.actord.daemon.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest as OCI writes it, {@code sha256:<64 hex>}. Only sha256: it is what every image tool
 * writes, and one algorithm keeps the store's addresses unique.
 */
public record Digest(String hex) {
    public static final String ALGORITHM = "sha256";
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public Digest {
        if (hex == null || !HEX.matcher(hex).matches()) {
            throw new ImageException("not a sha256 digest: '" + hex + "'");
        }
    }

    /** Parses {@code sha256:<hex>}. */
    public static Digest parse(String text) {
        if (text == null || !text.startsWith(ALGORITHM + ":")) {
            throw new ImageException("unsupported digest '" + text + "': only sha256:<64 hex digits> is accepted");
        }
        return new Digest(text.substring(ALGORITHM.length() + 1));
    }

    public static Digest of(MessageDigest finished) {
        return new Digest(HexFormat.of().formatHex(finished.digest()));
    }

    public static Digest of(byte[] content) {
        MessageDigest md = newSha256();
        md.update(content);
        return of(md);
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return ALGORITHM + ":" + hex;
    }
}
