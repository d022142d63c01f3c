package io.actord.daemon.testing;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@link TestDaemon} field, as {@code @TempDir} on a Path: a daemon in a temp directory of its own, started
 * before each test and stopped after it, or for the whole class on a static field (see {@link DaemonExtension}).
 * Its runtime is a new {@link FakeRuntime}, or with {@link #realRuntime} the real one, when the host can run it.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(DaemonExtension.class)
public @interface StartDaemon {
    /** More daemon flags ({@code "--containers-domain", "x"}). */
    String[] flags() default {};

    /** The graceful-abort grace period. */
    int graceSeconds() default 1;

    /** The real runtime ({@link ItRuntime#real}); the test skips visibly where the host cannot run it. */
    boolean realRuntime() default false;

    /** On a field beside the daemon's: its runtime, an {@link ItRuntime.Choice} or (fake) a {@link FakeRuntime}. */
    @Target(ElementType.FIELD)
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @interface Runtime {
    }
}
