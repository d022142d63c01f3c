package io.actord.daemon.run;

/**
 * A run's options as Apify reports them.
 *
 * @param build        the build tag or number the run was started with
 * @param timeoutSecs  0 = no timeout
 * @param memoryMbytes a power of two from 128 to 32768
 * @param diskMbytes   2 × memory
 */
public record RunOptions(String build, int timeoutSecs, int memoryMbytes, int diskMbytes) {
    public static RunOptions of(String build, int timeoutSecs, int memoryMbytes) {
        return new RunOptions(build, timeoutSecs, memoryMbytes, 2 * memoryMbytes);
    }
}
