package io.actord.cli.commands;

import java.util.Iterator;
import java.util.List;

/**
 * Completion candidates that only the daemon knows. picocli writes a parameter's candidates into the completion
 * script when the script is made; these stand for "ask the daemon": each yields a marker that
 * {@link CompletionCommand} turns into a call of {@code actorctl __complete KIND} when the user presses TAB.
 */
final class Candidates {
    /** The marker for {@code kind}'s candidates. */
    static String marker(String kind) {
        return "__actorctl_complete_" + kind + "__";
    }

    private Candidates() {
    }

    /** Run ids, newest first. */
    static final class RunIds implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of(marker(CompleteCommand.RUNS)).iterator();
        }
    }

    /** Actor names. */
    static final class ActorNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of(marker(CompleteCommand.ACTORS)).iterator();
        }
    }
}
