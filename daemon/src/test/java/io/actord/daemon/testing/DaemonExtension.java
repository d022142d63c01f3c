package io.actord.daemon.testing;

import io.actord.cgroups.testing.Host;
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
 * test is enclosed in too), static fields before the class. What it starts goes into that test's (or class's)
 * JUnit store, which closes it in reverse order when the test (or class) ends, after its {@code @AfterEach} (or
 * {@code @AfterAll}) methods: the daemon stops (aborting the runs left active, closing the runtime), a real
 * runtime's cgroup subtree is released, and the directory is deleted.
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
        Field daemonField = daemons.get(0);
        StartDaemon options = daemonField.getAnnotation(StartDaemon.class);
        if (options.realRuntime()) {
            Host.requirePrivilegedTag(type);
            Optional<String> reason = ItRuntime.unavailableReason();
            reason.ifPresent(r -> System.out.println("SKIPPED " + type.getSimpleName() + ": " + r));
            assumeTrue(reason.isEmpty(), () -> "SKIPPED " + type.getSimpleName() + ": " + reason.orElseThrow());
        }
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        Path dir = Files.createTempDirectory("actord-test-");
        store.put(daemonField + " dir", (AutoCloseable) () -> delete(dir));
        ItRuntime.Choice runtime = options.realRuntime() ? ItRuntime.real(dir) : ItRuntime.fake();
        store.put(daemonField + " runtime", runtime);
        TestDaemon daemon = TestDaemon.start(dir, runtime.runtime(), Duration.ofSeconds(options.graceSeconds()),
                List.of(options.flags()));
        store.put(daemonField + " daemon", daemon);
        set(daemonField, instance, daemon);
        for (Field field : fields(type, StartDaemon.Runtime.class, instance)) {
            Object value = field.getType().isInstance(runtime) ? runtime : runtime.runtime();
            if (!field.getType().isInstance(value)) {
                throw new ExtensionConfigurationException(type.getName() + "." + field.getName() + ": the runtime is a "
                        + value.getClass().getSimpleName() + ", not a " + field.getType().getSimpleName());
            }
            set(field, instance, value);
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
