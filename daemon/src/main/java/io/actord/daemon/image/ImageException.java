package io.actord.daemon.image;

/**
 * An image, layer or archive that cannot be imported as given: unreadable, malformed, hostile, too large or
 * not matching its digest. The message says what and where; nothing of the import is kept.
 */
public final class ImageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
