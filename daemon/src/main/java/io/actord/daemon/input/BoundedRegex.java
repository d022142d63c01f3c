package io.actord.daemon.input;

import com.networknt.schema.regex.RegularExpressionFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Regular expressions of an input schema, matched with a time limit. The pattern is the actor author's and the
 * input anyone's who may start the actor; java.util.regex backtracks without bound ({@code (a+)+$} on 30 a's and
 * a b takes minutes), and a match runs on an API worker thread. The JDK has no match timeout, so the matcher reads
 * its text through a {@link CharSequence} that gives up once the limit has passed, as the usual remedy does.
 */
final class BoundedRegex {
    /** Far above what any sane pattern takes on a field's text (microseconds), far below a client's patience. */
    static final Duration LIMIT = Duration.ofMillis(200);
    /** For the validator's {@code pattern} keyword: a search, as ECMA-262 and the validator's JDK default do. */
    static final RegularExpressionFactory FACTORY = regex -> {
        Pattern p = Pattern.compile(regex);
        return value -> find(p, value);
    };

    private BoundedRegex() {
    }

    /** Whether {@code p} occurs in {@code text}; {@link TooSlow} when finding out takes longer than {@link #LIMIT}. */
    static boolean find(Pattern p, String text) {
        return p.matcher(new Deadline(text, System.nanoTime() + LIMIT.toNanos(), p.pattern())).find();
    }

    /** A match that ran out of time: the input is refused (400), naming the pattern. */
    static final class TooSlow extends RuntimeException {
        TooSlow(String pattern) {
            super("regular expression \"" + pattern + "\" took longer than " + LIMIT.toMillis()
                    + " ms on the input: simplify the pattern", null, false, false);
        }

        /** The time-out behind {@code e}, which a validator may have wrapped. */
        static Optional<TooSlow> in(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof TooSlow slow) {
                    return Optional.of(slow);
                }
            }
            return Optional.empty();
        }
    }

    /** The text, checking the clock every 4096 reads (reading the clock on each would slow every match). */
    private static final class Deadline implements CharSequence {
        private final String text;
        private final long deadline;
        private final String pattern;
        private int reads;

        Deadline(String text, long deadline, String pattern) {
            this.text = text;
            this.deadline = deadline;
            this.pattern = pattern;
        }

        @Override
        public char charAt(int index) {
            if ((++reads & 4095) == 0 && System.nanoTime() - deadline > 0) {
                throw new TooSlow(pattern);
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Deadline(text.substring(start, end), deadline, pattern);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
