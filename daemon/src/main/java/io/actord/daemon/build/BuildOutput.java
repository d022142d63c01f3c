package io.actord.daemon.build;

/** Where a build writes its log ({@link io.actord.daemon.runlog.RunLog} has the same two methods). */
public interface BuildOutput {
    /** Bytes a step's process wrote, as they come. */
    void append(byte[] buf, int off, int len);

    /** One line of the builder's own: "Step 3/9 : RUN npm ci", "Using cache", a warning. */
    void system(String message);
}
