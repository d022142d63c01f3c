package io.actord.daemon.testing;

import java.util.Random;
import java.util.stream.IntStream;

/**
 * The seed and case count of one fuzz test: {@code -Dfuzz.seed=S} replays a run ({@code -Dfuzz.case=N}
 * only its case N), {@code -Dfuzz.cases=N} sets how many cases run; without them a new seed is drawn and the
 * test's default count runs. Each case has a generator of its own, derived from the seed and its index, so
 * one case replays alone. {@link #start} prints what is needed to replay; {@link #replay} names one case.
 */
public record FuzzSeed(String test, long seed, int cases, int only) {
    private static final int ALL = -1;

    /** Reads the system properties (falling back to a random seed and {@code defaultCases}) and prints them. */
    public static FuzzSeed start(String test, int defaultCases) {
        long seed = Long.getLong("fuzz.seed", new Random().nextLong());
        int cases = Integer.getInteger("fuzz.cases", defaultCases);
        int only = Integer.getInteger("fuzz.case", ALL);
        FuzzSeed s = new FuzzSeed(test, seed, cases, only);
        System.out.println("fuzz " + test + ": seed=" + seed + " cases=" + (only == ALL ? cases : "1 (case " + only + ")")
                + " (replay with -Dfuzz.seed=" + seed + ")");
        return s;
    }

    /** The indices of the cases to run. */
    public IntStream indices() {
        return only == ALL ? IntStream.range(0, cases) : IntStream.of(only);
    }

    /** The generator of case {@code index}. */
    public Random random(int index) {
        return new Random(seed * 0x9E3779B97F4A7C15L + index);
    }

    /** How to run case {@code index} alone. */
    public String replay(int index) {
        return test + " case " + index + " (replay: -Dfuzz.seed=" + seed + " -Dfuzz.case=" + index + ")";
    }

    /** The closing line: cases run and failures. */
    public void report(int ran, int failures) {
        System.out.println("fuzz " + test + ": seed=" + seed + " ran " + ran + " cases, " + failures + " failed");
    }
}
