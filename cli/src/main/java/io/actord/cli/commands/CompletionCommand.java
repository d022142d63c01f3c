package io.actord.cli.commands;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code actorctl completion bash|zsh}: a completion script generated from the command tree (picocli's
 * AutoComplete). The zsh script is the same bash script, which enables zsh's bashcompinit itself. Run ids and actor
 * names come from the daemon when TAB is pressed: their parameters carry a {@link Candidates} marker, and every
 * candidate list of the script is passed through a function that turns a marker into {@code actorctl __complete
 * KIND} (run with the same {@code actorctl} the line names).
 */
@Command(name = "completion", description = "Print a shell completion script.",
        footer = {"", "bash: source <(actorctl completion bash)",
                "      (or save it as /etc/bash_completion.d/actorctl)",
                "zsh:  source <(actorctl completion zsh)   (e.g. in ~/.zshrc)"})
public final class CompletionCommand implements Callable<Integer> {
    /** The shells there are scripts for. */
    public enum Shell { bash, zsh }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh")
    Shell shell;

    /** Where picocli's {@code compReplyArray} takes its candidates (picocli 4.7). */
    private static final String CANDIDATES = "  options=(\"$@\")\n";
    private static final String DYNAMIC = """
            # Candidates only the daemon knows (run ids, actor names) are asked for when TAB is pressed: a marker
            # among a parameter's candidates becomes the lines `actorctl __complete KIND` prints.
            function _actorctl_candidates() {
              local c kind
              for c in "$@"; do
                case "$c" in
                  __actorctl_complete_*__)
                    kind=${c#__actorctl_complete_}
                    "${COMP_WORDS[0]}" __complete "${kind%__}" 2>/dev/null ;;
                  *) printf '%s\\n' "$c" ;;
                esac
              done
            }

            """;

    @Override
    public Integer call() {
        String script = dynamic(AutoComplete.bash(spec.root().name(), spec.root().commandLine()));
        if (shell == Shell.zsh) {
            script = "#compdef " + spec.root().name() + "\n" + script;
        }
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The script with every candidate list passed through {@code _actorctl_candidates}. */
    static String dynamic(String script) {
        int at = script.indexOf(CANDIDATES);
        if (at < 0 || !script.contains("\nfunction ")) {
            throw new IllegalStateException("picocli's completion script has no '" + CANDIDATES.strip() + "' to extend");
        }
        String wrapped = script.substring(0, at) + "  local IFS=$'\\n'\n  options=($(_actorctl_candidates \"$@\"))\n"
                + script.substring(at + CANDIDATES.length());
        int first = wrapped.indexOf("\nfunction ");
        return wrapped.substring(0, first + 1) + DYNAMIC + wrapped.substring(first + 1);
    }
}
