package io.actord.cli.commands;

import picocli.CommandLine.Command;

/** {@code actorctl dataset items|push|export}. */
@Command(name = "dataset", description = "Read, append and export dataset items.",
        subcommands = {DatasetItemsCommand.class, DatasetPushCommand.class, DatasetExportCommand.class})
public final class DatasetCommand {
}
