package io.actord.runtime.sys;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A system call failed. The message is the call as it was made and the kernel's answer, e.g.
 * {@code mount("overlay", "/run/x/rootfs", "overlay", MS_NODEV, "lowerdir=…"): EINVAL (Invalid argument)}.
 */
public final class SyscallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    /**
     * @param call  the function, e.g. "mount"
     * @param errno the error number the kernel (or posix_spawn) returned
     * @param args  rendered like C: strings and paths quoted, {@link Symbol}s as they are, sets of flags
     *              (enums) joined with '|', other collections as [a, b]
     */
    public SyscallException(String call, int errno, Object... args) {
        super(render(call, args) + ": " + Errno.describe(errno));
        this.call = call;
        this.errno = errno;
    }

    public String call() {
        return call;
    }

    public int errnoNumber() {
        return errno;
    }

    public Optional<Errno> errno() {
        return Errno.of(errno);
    }

    public boolean is(Errno e) {
        return errno == e.number();
    }

    /** {@code name(arg, …)} as C would be written: used by this exception and by recorded call logs. */
    public static String render(String call, Object... args) {
        return call + Arrays.stream(args).map(SyscallException::renderArg).collect(Collectors.joining(", ", "(", ")"));
    }

    /** A name rendered as is, unquoted: a C constant such as MNT_DETACH. */
    public record Symbol(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    public static Symbol symbol(String text) {
        return new Symbol(text);
    }

    private static String renderArg(Object arg) {
        if (arg == null) {
            return "NULL";
        }
        if (arg instanceof String || arg instanceof Path) {
            return "\"" + arg + "\"";
        }
        if (arg instanceof Collection<?> items && items.stream().allMatch(Enum.class::isInstance)) {
            return items.isEmpty() ? "0" : items.stream().map(String::valueOf).collect(Collectors.joining("|"));
        }
        if (arg instanceof Collection<?> items) {
            return items.stream().map(SyscallException::renderArg).collect(Collectors.joining(", ", "[", "]"));
        }
        return String.valueOf(arg);
    }
}
