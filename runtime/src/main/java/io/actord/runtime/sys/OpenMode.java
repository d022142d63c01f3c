package io.actord.runtime.sys;

/** How {@link Linux#open} opens a file; every mode adds O_CLOEXEC. */
public enum OpenMode {
    /** O_RDONLY. */
    READ,
    /** O_RDWR. */
    READ_WRITE,
    /** O_WRONLY|O_CREAT|O_APPEND, mode 0640. */
    APPEND,
    /** O_WRONLY|O_CREAT|O_TRUNC, mode 0600. */
    TRUNCATE,
    /** O_RDONLY|O_DIRECTORY. */
    DIRECTORY
}
