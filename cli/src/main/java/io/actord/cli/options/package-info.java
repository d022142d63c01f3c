/**
 * Argument classes shared by several commands (picocli mixins): fields and their help, no logic
 * (liboci-cli style). What the values mean to the daemon is decided by the commands that use them.
 */
package io.actord.cli.options;
