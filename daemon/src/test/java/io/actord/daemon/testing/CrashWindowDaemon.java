package io.actord.daemon.testing;

import io.actord.daemon.DaemonMain;
import io.actord.daemon.run.RunStep;
import io.actord.daemon.run.RunSteps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The daemon's process for the crash-window test (issue #20): the real daemon ({@link io.actord.daemon.DaemonMain#serve}) with
 * {@link RunSteps} that stop it at one chosen step, so that the test kills it exactly there. Arguments: a control
 * directory, the step to stop at as {@code STEP:n} (the n-th time STEP is reached) or {@code none}, then the
 * daemon's flags. In the control directory:
 * <ul>
 *   <li>{@code armed}: the test makes it once the run is ready; steps before it (the run's start, recovery) are
 *       neither counted nor stopped at;</li>
 *   <li>{@code trace}: each step reached since, a line {@code STEP n runId};</li>
 *   <li>{@code paused}: written (whole, by a rename) when the chosen step is reached, whose thread then waits for
 *       the kill.</li>
 * </ul>
 */
public final class CrashWindowDaemon implements RunSteps {
    /** Where the daemon process starts: {@code java -cp <the jar and these tests> CrashWindowDaemon ...}. */
    public static List<String> launch(Path control, String target) {
        String tests = ItRuntime.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        return List.of("-cp", DaemonProcess.JAR + ":" + tests, CrashWindowDaemon.class.getName(), control.toString(),
                target);
    }

    private final Path control;
    private final String target;
    private final Map<RunStep, Integer> counts = new EnumMap<>(RunStep.class);

    private CrashWindowDaemon(Path control, String target) {
        this.control = control;
        this.target = target;
    }

    public static void main(String[] args) {
        DaemonMain.serve(Arrays.copyOfRange(args, 2, args.length), new CrashWindowDaemon(Path.of(args[0]), args[1]));
    }

    @Override
    public void reached(RunStep step, String runId) {
        if (!Files.exists(control.resolve("armed"))) {
            return;
        }
        String reached;
        synchronized (this) {
            reached = step + ":" + counts.merge(step, 1, Integer::sum);
            write(control.resolve("trace"), reached + " " + runId + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        if (reached.equals(target)) {
            Path partial = control.resolve("paused.part");
            write(partial, reached + " " + runId + " " + Thread.currentThread().getName() + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
            try {
                Files.move(partial, control.resolve("paused"), StandardCopyOption.ATOMIC_MOVE);
                new CountDownLatch(1).await();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void write(Path file, String text, StandardOpenOption... options) {
        try {
            Files.writeString(file, text, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
