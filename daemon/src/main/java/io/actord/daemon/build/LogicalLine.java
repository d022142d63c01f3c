package io.actord.daemon.build;

/**
 * One instruction's text after comments, continuations and the escape character at line ends were dealt with.
 *
 * @param text      the joined text, leading whitespace of the first line removed
 * @param startLine the 1-based line the instruction starts on
 * @param endLine   the 1-based line it ends on
 */
public record LogicalLine(String text, int startLine, int endLine) {
}
