package io.actord.cli;

import io.actord.cli.commands.ActorsCommand;
import io.actord.cli.commands.ApiRequestCommand;
import io.actord.cli.commands.BuildsCommand;
import io.actord.cli.commands.CallCommand;
import io.actord.cli.commands.ClusterCommand;
import io.actord.cli.commands.CompleteCommand;
import io.actord.cli.commands.CompletionCommand;
import io.actord.cli.commands.DaemonCommand;
import io.actord.cli.commands.DatasetCommand;
import io.actord.cli.commands.ExecCommand;
import io.actord.cli.commands.ImagesCommand;
import io.actord.cli.commands.KvCommand;
import io.actord.cli.commands.LoginCommand;
import io.actord.cli.commands.PushCommand;
import io.actord.cli.commands.QueueCommand;
import io.actord.cli.commands.RunCommand;
import io.actord.cli.commands.RunsCommand;
import io.actord.cli.commands.SchedulesCommand;
import io.actord.cli.commands.StatusCommand;
import io.actord.cli.commands.SystemCommand;
import io.actord.cli.commands.TasksCommand;
import io.actord.cli.commands.TokensCommand;
import io.actord.cli.commands.UsersCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.Arrays;
import java.util.List;

/**
 * The top-level commands, attached lazily. picocli builds its model by reflection over every command
 * class, which on a small machine costs more than the rest of a CLI run; so only the command the
 * arguments name is built in full, and the others are attached as stubs that carry just the name,
 * aliases and description for the help listing and "did you mean" suggestions. {@code completion} needs
 * the whole tree and gets it.
 */
final class CommandTree {
    /** In the order the help lists them. */
    static final List<Class<?>> COMMANDS = List.of(ActorsCommand.class, BuildsCommand.class, ImagesCommand.class,
            TasksCommand.class, RunCommand.class,
            CallCommand.class, RunsCommand.class, ExecCommand.class, SchedulesCommand.class, KvCommand.class,
            DatasetCommand.class,
            QueueCommand.class,
            UsersCommand.class, TokensCommand.class, DaemonCommand.class, SystemCommand.class, ClusterCommand.class,
            ApiRequestCommand.class,
            LoginCommand.class, LoginCommand.Logout.class, CompletionCommand.class, CompleteCommand.class,
            StatusCommand.class, PushCommand.class);

    private CommandTree() {
    }

    static void attach(CommandLine root, String[] args) {
        String word = commandWord(root.getCommandSpec(), args);
        boolean everything = "completion".equals(word);
        for (Class<?> type : COMMANDS) {
            Command command = type.getAnnotation(Command.class);
            boolean named = command.name().equals(word) || Arrays.asList(command.aliases()).contains(word);
            if (everything || named) {
                root.addSubcommand(command.name(), type, command.aliases());
            } else {
                CommandSpec stub = CommandSpec.create().name(command.name()).aliases(command.aliases());
                stub.usageMessage().description(command.description()).hidden(command.hidden());
                root.addSubcommand(command.name(), stub);
            }
        }
    }

    /** The first argument that is neither an option of the root nor an option's value; null if none. */
    static String commandWord(CommandSpec root, String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                return i + 1 < args.length ? args[i + 1] : null;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                return a;
            }
            OptionSpec option = root.findOption(a.contains("=") ? a.substring(0, a.indexOf('=')) : a);
            if (option != null && option.arity().max() > 0 && !a.contains("=")) {
                i++;
            }
        }
        return null;
    }
}
