package io.actord.runtime;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A command to run in a running container, as {@code docker exec} and {@code runc exec} do: in the container's
 * namespaces and cgroup, as its user, with its environment, working directory, resource limits and security
 * profile (capabilities, no_new_privs, seccomp), everything its entrypoint got.
 *
 * @param command the program and its arguments; command.get(0) is looked up in the container's PATH
 * @param stdin   whether the command reads from the caller ({@link ExecProcess#stdin()}); else from /dev/null
 * @param tty     a pseudo-terminal of this size for the command's stdin, stdout and stderr; empty: pipes
 */
public record ExecSpec(List<String> command, boolean stdin, Optional<TerminalSize> tty) {
    public ExecSpec {
        command = List.copyOf(command);
        Objects.requireNonNull(tty, "tty");
        if (command.isEmpty() || command.get(0).isEmpty()) {
            throw new IllegalArgumentException("exec needs a command");
        }
        if (command.stream().anyMatch(a -> a.indexOf('\0') >= 0)) {
            throw new IllegalArgumentException("an exec argument cannot hold a NUL character");
        }
    }
}
