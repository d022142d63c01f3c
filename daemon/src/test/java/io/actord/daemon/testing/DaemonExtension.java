package io.actord.daemon.testing;

import io.actord.runtime.ContainerRuntime;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Fills {@link StartDaemon} fields: instance fields before each test (those of the instances a {@code @Nested}
 * test is enclosed in too), static fields before the class. What it starts is kept in that test's (or class's)
 * JUnit store, which closes it when the test (or class) ends, after its {@code @AfterEach} (or {@code @AfterAll})
 * methods: the daemon stops (aborting the runs left active), a real runtime's cgroup subtree is released, and
 * the directory is deleted.
 */
public final class DaemonExtension implements BeforeAllCallback, BeforeEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(DaemonExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        fill(context, context.getRequiredTestClass(), null);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            fill(context, instance.getClass(), instance);
        }
    }

    /** Starts the daemon of {@code type}'s static ({@code instance} null) or instance {@link StartDaemon} field. */
    private static void fill(ExtensionContext context, Class<?> type, Object instance) throws Exception {
        List<Field> daemons = fields(type, StartDaemon.class, instance);
        if (daemons.isEmpty()) {
            return;
        }
        if (daemons.size() > 1 || daemons.get(0).getType() != TestDaemon.class) {
            throw new ExtensionConfigurationException(type.getName() + ": @StartDaemon goes on one TestDaemon field");
        }
        StartDaemon options = daemons.get(0).getAnnotation(StartDaemon.class);
        if (options.realRuntime()) {
            Optional<String> reason = ItRuntime.unavailableReason();
            reason.ifPresent(r -> System.out.println("SKIPPED " + type.getSimpleName() + ": " + r));
            assumeTrue(reason.isEmpty(), () -> "SKIPPED " + type.getSimpleName() + ": " + reason.orElseThrow());
        }
        Started started = new Started(Files.createTempDirectory("actord-test-"));
        context.getStore(NAMESPACE).put(daemons.get(0), started);
        Object runtime;
        ContainerRuntime containers;
        if (options.realRuntime()) {
            started.real = ItRuntime.real(started.dir);
            runtime = started.real;
            containers = started.real.runtime();
        } else {
            FakeRuntime fake = new FakeRuntime();
            runtime = fake;
            containers = fake;
        }
        started.daemon = TestDaemon.start(started.dir, containers, Duration.ofSeconds(options.graceSeconds()),
                List.of(options.flags()));
        set(daemons.get(0), instance, started.daemon);
        for (Field field : fields(type, StartDaemon.Runtime.class, instance)) {
            if (!field.getType().isInstance(runtime)) {
                throw new ExtensionConfigurationException(type.getName() + "." + field.getName() + ": the runtime is a "
                        + runtime.getClass().getSimpleName() + ", not a " + field.getType().getSimpleName());
            }
            set(field, instance, runtime);
        }
    }

    private static List<Field> fields(Class<?> type, Class<? extends Annotation> annotation, Object instance) {
        return AnnotationSupport.findAnnotatedFields(type, annotation,
                f -> Modifier.isStatic(f.getModifiers()) == (instance == null));
    }

    private static void set(Field field, Object instance, Object value) throws IllegalAccessException {
        field.setAccessible(true);
        field.set(instance, value);
    }

    /** What one test (or class) started, closed in reverse order; the parts not started yet are null. */
    private static final class Started implements AutoCloseable {
        final Path dir;
        ItRuntime.Choice real;
        TestDaemon daemon;

        Started(Path dir) {
            this.dir = dir;
        }

        @Override
        public void close() throws IOException {
            try {
                if (daemon != null) {
                    daemon.close();
                }
            } finally {
                try {
                    if (real != null) {
                        real.close();
                    }
                } finally {
                    delete(dir);
                }
            }
        }

        /** Deletes the tree, making its directories writable first (an image may bring read-only ones). */
        private static void delete(Path dir) throws IOException {
            List<Path> paths;
            try (Stream<Path> walk = Files.walk(dir)) {
                paths = walk.toList();
            }
            paths.stream().filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .forEach(d -> d.toFile().setWritable(true, true));
            for (Path p : paths.stream().sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
