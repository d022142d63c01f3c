package io.actord.daemon.testing;

import io.actord.daemon.build.BuildControl;
import io.actord.daemon.build.BuildFailedException;
import io.actord.daemon.build.BuildOutput;
import io.actord.daemon.build.BuildRequest;
import io.actord.daemon.build.BuiltImage;
import io.actord.daemon.build.ImageBuilder;
import io.actord.daemon.image.Digest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A scripted {@link ImageBuilder}: each build takes the next {@link Script} given to {@link #next} (none: it
 * succeeds with the {@link #defaultLayers} and {@code CMD ["exit", "0"]}). It records every request with the files its context held
 * while it ran, since the caller removes the context afterwards.
 */
public final class FakeImageBuilder implements ImageBuilder {
    /** What one build does. */
    @FunctionalInterface
    public interface Script {
        BuiltImage run(BuildRequest request, BuildOutput out, BuildControl control) throws InterruptedException;
    }

    /** A request as the builder saw it: the context's files ('/'-separated paths) with their text. */
    public record Seen(BuildRequest request, Map<String, String> files) {
    }

    private final BlockingQueue<Script> scripts = new LinkedBlockingQueue<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile List<Digest> defaultLayers = List.of();
    /** A permit for each {@link #untilCancelled} build that has begun to wait. */
    private final Semaphore started = new Semaphore(0);

    public FakeImageBuilder next(Script script) {
        scripts.add(script);
        return this;
    }

    /** The layers a build without a script gets (layers in the daemon's store: a run needs one at least). */
    public FakeImageBuilder defaultLayers(List<Digest> layers) {
        defaultLayers = List.copyOf(layers);
        return this;
    }

    public List<Seen> seen() {
        return seen;
    }

    @Override
    public BuiltImage build(BuildRequest request, BuildOutput out, BuildControl control) {
        seen.add(new Seen(request, files(request.context())));
        Script script = scripts.poll();
        try {
            return script == null ? image(defaultLayers, List.of("exit", "0")) : script.run(request, out, control);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildFailedException(BuildFailedException.Cause.CANCELLED, OptionalInt.empty(), "interrupted");
        }
    }

    /** Writes {@code lines} to the log as a step's process would, then succeeds with {@code layers} and {@code cmd}. */
    public static Script succeed(List<Digest> layers, List<String> cmd, String... lines) {
        return (request, out, control) -> {
            out.system("Step 1/1 : RUN true");
            for (String line : lines) {
                byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
                out.append(b, 0, b.length);
            }
            return image(layers, cmd);
        };
    }

    /** Fails as a RUN step that exits 1 on line {@code line}. */
    public static Script fail(int line, String message) {
        return (request, out, control) -> {
            throw new BuildFailedException(BuildFailedException.Cause.STEP_FAILED, OptionalInt.of(line), message);
        };
    }

    /** Writes {@code line}, then waits until the build is cancelled (abort, timeout) and fails CANCELLED. */
    public Script untilCancelled(String line) {
        return (request, out, control) -> {
            CountDownLatch cancelled = new CountDownLatch(1);
            AutoCloseable hook = control.onCancel(cancelled::countDown);
            byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
            out.append(b, 0, b.length);
            started.release();
            boolean stopped = cancelled.await(60, TimeUnit.SECONDS);
            close(hook);
            if (!stopped) {
                throw new IllegalStateException("the build was never cancelled");
            }
            throw new BuildFailedException(BuildFailedException.Cause.CANCELLED, OptionalInt.empty(),
                    control.cancelled().orElse("cancelled"));
        };
    }

    /** Waits until one more {@link #untilCancelled} build is under way. */
    public void awaitStarted() throws InterruptedException {
        if (!started.tryAcquire(30, TimeUnit.SECONDS)) {
            throw new AssertionError("no build started waiting");
        }
    }

    private static void close(AutoCloseable hook) {
        try {
            hook.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static BuiltImage image(List<Digest> layers, List<String> cmd) {
        return new BuiltImage(layers, List.of(), cmd, Map.of("FROM_IMAGE", "1"), "/app", Optional.empty(), Map.of(),
                0, 1);
    }

    private static Map<String, String> files(Path context) {
        try (Stream<Path> walk = Files.walk(context)) {
            return walk.filter(Files::isRegularFile).collect(Collectors.toMap(
                    p -> context.relativize(p).toString(), p -> {
                        try {
                            return Files.readString(p);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
