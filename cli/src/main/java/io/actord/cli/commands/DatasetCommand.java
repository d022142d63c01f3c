package io.actord.cli.commands;

import picocli.CommandLine.Command;

/** {@code actorctl dataset items|push}. */
@Command(name = "dataset", description = "Read and append dataset items.",
        subcommands = {DatasetItemsCommand.class, DatasetPushCommand.class})
public final class DatasetCommand {
}
