/**
 * Human output: aligned tables, key-value details, relative times, status colours and the live status
 * line. Colour and the status line appear only on a terminal, and never with {@code NO_COLOR} set; piped
 * output is plain text with no escape codes. {@code --json} bypasses all of it.
 */
package io.actord.cli.output;
