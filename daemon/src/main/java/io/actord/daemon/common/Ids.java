package io.actord.daemon.common;

import java.security.SecureRandom;

/** Apify-style resource ids: 17 random letters and digits ({@code ^[a-zA-Z0-9]{17}$}), hard to guess. */
public final class Ids {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String LOWERCASE = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    public static final int LENGTH = 17;

    private Ids() {
    }

    public static String newId() {
        return random(LENGTH);
    }

    /** A random token of {@code length} letters and digits (62^length possibilities). */
    public static String random(int length) {
        return random(ALPHABET, length);
    }

    /**
     * A random token of {@code length} lowercase letters and digits (36^length possibilities), for names
     * that pass through case-insensitive places such as DNS labels.
     */
    public static String randomLowercase(int length) {
        return random(LOWERCASE, length);
    }

    private static String random(String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    public static boolean looksLikeId(String s) {
        return s.length() == LENGTH && s.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0);
    }
}
