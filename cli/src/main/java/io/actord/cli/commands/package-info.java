/**
 * One class per subcommand, noun then verb ({@code runs list}): its arguments as picocli fields and the
 * requests it makes. Noun classes only group their verbs; a noun without a verb is a usage error.
 */
package io.actord.cli.commands;
