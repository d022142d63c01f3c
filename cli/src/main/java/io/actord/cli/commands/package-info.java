/** One class per subcommand; argument fields only, the work is a request to the daemon. */
package io.actord.cli.commands;
