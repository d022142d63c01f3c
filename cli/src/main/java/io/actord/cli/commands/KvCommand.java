package io.actord.cli.commands;

import picocli.CommandLine.Command;

/** {@code actorctl kv get|set|delete|keys}. */
@Command(name = "kv", description = "Read and write key-value store records.",
        subcommands = {KvGetCommand.class, KvSetCommand.class, KvDeleteCommand.class, KvKeysCommand.class})
public final class KvCommand {
}
