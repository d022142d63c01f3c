package io.actord.daemon.build;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Docker's word substitution, as a table: word, result (or {@code ERROR:} and the start of the message). The
 * environment is {@code HOME=/root}, {@code APP=my app}, {@code EMPTY=""}; {@code NOPE} is unset. The rows follow the
 * rules BuildKit's lexer tests pin down (quotes, escapes, modifiers, malformed braces), restated in our own cases.
 */
class SubstitutionTest {
    private static final Map<String, String> ENV = Map.of("HOME", "/root", "APP", "my app", "EMPTY", "", "n1", "x");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', ignoreLeadingAndTrailingWhitespace = false, value = {
        "plain|plain",
        "$HOME/bin|/root/bin",
        "${HOME}bin|/rootbin",
        "$HOMEbin|",
        "x${NOPE}y|xy",
        "$NOPE|",
        "$n1|x",
        "a$1b|ab",
        "a$.b|a$.b",
        "cost: $|cost: $",
        "$$|",
        "${NOPE:-fallback}|fallback",
        "${EMPTY:-fallback}|fallback",
        "${HOME:-fallback}|/root",
        "${NOPE-fallback}|fallback",
        "${EMPTY-fallback}|",
        "${NOPE:+alt}|",
        "${EMPTY:+alt}|",
        "${HOME:+alt}|alt",
        "${EMPTY+alt}|alt",
        "${NOPE+alt}|",
        "${NOPE:-$HOME}|/root",
        "${NOPE:-${NOPE2:-deep}}|deep",
        "${NOPE:-${HOME:-deep}}x|/rootx",
        "${HOME:+${HOME}:}x|/root:x",
        "${NOPE:-\\$HOME:}|$HOME:",
        "${NOPE:-a b {c}|a b {c",
        "${NOPE:-\"quoted }\"}|quoted }",
        "${HOME}}|/root}",
        "${HOME?}|/root",
        "${EMPTY?}|",
        "${HOME:?}|/root",
        "'$HOME'|$HOME",
        "\"$HOME\"|/root",
        "\"$APP\"|my app",
        "\"it's $HOME\"|it's /root",
        "'say \"hi\"'|say \"hi\"",
        "he'll'o|hello",
        "he\\'llo|he'llo",
        "\\$HOME|$HOME",
        "\\\\$HOME|\\/root",
        "\"\\$HOME\"|$HOME",
        "\"a\\\\$HOME\"|a\\/root",
        "\"a\\tb\"|a\\tb",
        "a\\tb|atb",
        "'a\\tb'|a\\tb",
        "'a\\'|a\\",
        "end\\|end",
        "end\\\\|end\\",
        "\\${}|${}",
        "\"''\"|''",
        "안'녕'$HOME|안녕/root",
        "ERR${HOME|ERROR:syntax error: missing '}'",
        "${}|ERROR:syntax error: bad substitution",
        "${:-x}|ERROR:syntax error: bad substitution",
        "${{HOME}|ERROR:syntax error: bad substitution",
        "${.}|ERROR:unsupported modifier",
        "${HOME:x}|ERROR:unsupported modifier (:x)",
        "${HOME:=x}|ERROR:unsupported modifier (:=)",
        "${HOME#/}|ERROR:unsupported modifier (#)",
        "${NOPE:-a ${HOME}|ERROR:syntax error: missing '}'",
        "${NOPE?}|ERROR:NOPE: is not allowed to be unset",
        "${EMPTY:?}|ERROR:EMPTY: is not allowed to be empty",
        "${NOPE?set it}|ERROR:NOPE: set it",
        "'open|ERROR:unexpected end of statement while looking for matching single-quote",
        "\"open|ERROR:unexpected end of statement while looking for matching double-quote",
        "\"open\\\"|ERROR:unexpected end of statement while looking for matching double-quote",
        "he\\\\'llo|ERROR:unexpected end of statement while looking for matching single-quote",
    })
    void shouldSubstituteAsDockerDoes(String word, String expected) {
        Substitution substitution = new Substitution('\\');
        String want = expected == null ? "" : expected;
        if (want.startsWith("ERROR:")) {
            DockerfileException e = assertThrows(DockerfileException.class, () -> substitution.apply(word, ENV));
            assertTrue(e.getMessage().startsWith(want.substring("ERROR:".length())), e.getMessage());
        } else {
            assertEquals(want, substitution.apply(word, ENV));
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "c:\\dir\\$HOME|c:\\dir\\/root",
        "`$HOME|$HOME",
        "\"a`\"b\"|a\"b",
        "C:\\`|C:\\",
    })
    void shouldUseTheBacktickWhenItIsTheEscape(String word, String expected) {
        assertEquals(expected, new Substitution('`').apply(word, ENV));
    }
}
