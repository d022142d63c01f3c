package io.actord.cli.commands;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code actorctl completion bash|zsh}: a completion script generated from the command tree (picocli's
 * AutoComplete). The zsh script is the same bash script, which enables zsh's bashcompinit itself.
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

    @Override
    public Integer call() {
        String script = AutoComplete.bash(spec.root().name(), spec.root().commandLine());
        if (shell == Shell.zsh) {
            script = "#compdef " + spec.root().name() + "\n" + script;
        }
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
