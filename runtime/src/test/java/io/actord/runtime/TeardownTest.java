package io.actord.runtime;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TeardownTest {
    @Test
    void shouldUndoLastFirstAndKeepGoingAfterAFailure() {
        List<String> done = new ArrayList<>();
        Teardown teardown = new Teardown("c1");
        teardown.push("remove dir", () -> done.add("dir"));
        teardown.push("destroy cgroup", () -> {
            throw new IllegalStateException("EBUSY");
        });
        teardown.push("stop init", () -> done.add("init"));

        ContainerException e = assertThrows(ContainerException.class, teardown::run);

        assertEquals(List.of("init", "dir"), done);
        assertEquals("tear down container c1: destroy cgroup: EBUSY", e.getMessage());
        teardown.run();
        assertEquals(List.of("init", "dir"), done, "runs once");
    }

    @Test
    void shouldAddUndoFailuresToTheCreateFailure() {
        Teardown teardown = new Teardown("c1");
        teardown.push("remove dir", () -> {
            throw new IllegalStateException("ENOTEMPTY");
        });
        teardown.push("release layer", () -> {
            throw new IllegalStateException("loop busy");
        });
        ContainerException cause = new ContainerException("create container c1: mount: EINVAL");

        teardown.run(cause);

        assertEquals(List.of("release layer: loop busy", "remove dir: ENOTEMPTY"),
                List.of(cause.getSuppressed()).stream().map(Throwable::getMessage).toList());
    }
}
