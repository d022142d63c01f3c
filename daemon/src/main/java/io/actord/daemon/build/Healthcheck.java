package io.actord.daemon.build;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A {@code HEALTHCHECK}: recorded in the image config (Docker's {@code Healthcheck}), not run by actord. Durations are
 * written as Go writes them ({@code 30s}, {@code 1m30s}, {@code 500ms}); zero means Docker's default.
 *
 * @param test the Docker form: {@code ["NONE"]}, {@code ["CMD", args...]} or {@code ["CMD-SHELL", command]}
 */
public record Healthcheck(List<String> test, Duration interval, Duration timeout, Duration startPeriod,
                          Duration startInterval, int retries) {
    private static final Pattern GO_DURATION_PART = Pattern.compile("([0-9]*(?:\\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)");

    public Healthcheck {
        test = List.copyOf(test);
    }

    /** The health check of a parsed {@code HEALTHCHECK} instruction. */
    static Healthcheck of(Instruction instruction) {
        List<String> args = instruction.args();
        List<String> test;
        if (args.get(0).equals("NONE")) {
            test = List.of("NONE");
        } else if (instruction.json()) {
            test = Stream.concat(Stream.of("CMD"), args.stream().skip(1)).toList();
        } else {
            test = List.of("CMD-SHELL", args.get(1));
        }
        Map<String, String> flags = instruction.flags();
        return new Healthcheck(test, duration(flags, "interval", instruction.line()),
                duration(flags, "timeout", instruction.line()), duration(flags, "start-period", instruction.line()),
                duration(flags, "start-interval", instruction.line()), retries(flags, instruction.line()));
    }

    static void validate(Map<String, String> flags, int line) {
        for (String name : List.of("interval", "timeout", "start-period", "start-interval")) {
            duration(flags, name, line);
        }
        retries(flags, line);
    }

    private static Duration duration(Map<String, String> flags, String name, int line) {
        String text = Optional.ofNullable(flags.get(name)).orElse("");
        if (text.isEmpty()) {
            return Duration.ZERO;
        }
        Duration d = parseGoDuration(text).orElseThrow(() -> DockerfileException.at(line, "invalid duration for --"
                + name + ": \"" + text + "\" (write it as Go does: 30s, 1m30s, 500ms)"));
        if (d.isNegative()) {
            throw DockerfileException.at(line, "interval --" + name + " cannot be negative");
        }
        if (!d.isZero() && d.compareTo(Duration.ofMillis(1)) < 0) {
            throw DockerfileException.at(line, "interval --" + name + " cannot be less than 1ms");
        }
        return d;
    }

    private static int retries(Map<String, String> flags, int line) {
        String text = Optional.ofNullable(flags.get("retries")).orElse("");
        if (text.isEmpty()) {
            return 0;
        }
        int retries;
        try {
            retries = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw DockerfileException.at(line, "invalid --retries value \"" + text + "\": not a number");
        }
        if (retries < 0) {
            throw DockerfileException.at(line, "--retries cannot be negative (" + retries + ")");
        }
        return retries;
    }

    /** Go's {@code time.ParseDuration}: {@code [-+]?(number unit)+} or a plain {@code 0}. */
    static Optional<Duration> parseGoDuration(String text) {
        String s = text;
        boolean negative = s.startsWith("-");
        if (negative || s.startsWith("+")) {
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        Matcher m = GO_DURATION_PART.matcher(s);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at || m.group(1).isEmpty() || m.group(1).equals(".")) {
                return Optional.empty();
            }
            nanos = nanos.add(new BigDecimal(m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1))
                    .multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
            at = m.end();
        }
        if (at == 0) {
            return Optional.empty();
        }
        Duration d = Duration.ofNanos(nanos.longValue());
        return Optional.of(negative ? d.negated() : d);
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        };
    }
}
