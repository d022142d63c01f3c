package io.actord.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/** A value given on the command line as text, {@code @FILE} or {@code -} (stdin), as curl's {@code -d} takes it. */
public final class Payload {
    private Payload() {
    }

    /**
     * Reads the bytes {@code spec} stands for.
     *
     * @param what names the value in errors ("--input")
     */
    public static byte[] read(String spec, String what, Context context) {
        if (spec.equals("-")) {
            try {
                return context.in().readAllBytes();
            } catch (IOException e) {
                throw new CliException("read " + what + " from stdin: " + e.getMessage(), e);
            }
        }
        if (spec.startsWith("@")) {
            Path file = Path.of(spec.substring(1));
            try {
                return Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new CliException("read " + what + " file " + file + ": no such file");
            } catch (AccessDeniedException e) {
                throw new CliException("read " + what + " file " + file + ": permission denied");
            } catch (IOException e) {
                throw new CliException("read " + what + " file " + file + ": " + reason(e), e);
            }
        }
        return spec.getBytes(StandardCharsets.UTF_8);
    }

    /** Parses {@code bytes} as JSON, or fails with where the syntax broke. */
    public static JsonNode json(byte[] bytes, String what) {
        try {
            return Json.parse(bytes);
        } catch (JsonProcessingException e) {
            throw new CliException(what + " is not valid JSON: " + Json.describe(e));
        } catch (IOException e) {
            throw new CliException(what + ": " + e.getMessage(), e);
        }
    }

    /** Whether a media type is JSON: application/json or any +json type. */
    public static boolean isJson(String contentType) {
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.endsWith("+json");
    }

    /** Whether the bytes are valid UTF-8 (text that can be stored as text/plain). */
    public static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
