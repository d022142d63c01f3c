package io.actord.cli.commands;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;
import java.util.regex.Pattern;

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

    /** A candidate list of picocli's script: {@code compgen -W "$X_pos_param_args"} or {@code "${X_option_args}"}. */
    private static final Pattern CANDIDATE_LIST = Pattern.compile(
            "compgen -W \"\\$\\{?(\\w+_(?:pos_param|option)_args)\\}?\"");
    private static final String DYNAMIC = """
            # Candidates only the daemon knows (run ids, actor names) are asked for when TAB is pressed.
            function _actorctl_candidates() {
              case "$1" in
                __actorctl_complete_*__)
                  local kind=${1#__actorctl_complete_}
                  "${COMP_WORDS[0]}" __complete "${kind%__}" 2>/dev/null ;;
                *) printf '%s\\n' "$1" ;;
              esac
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
        String wrapped = CANDIDATE_LIST.matcher(script).replaceAll("compgen -W \"\\$(_actorctl_candidates \"\\${$1}\")\"");
        int first = wrapped.indexOf("\nfunction ");
        return first < 0 ? wrapped : wrapped.substring(0, first + 1) + DYNAMIC + wrapped.substring(first + 1);
    }
}
