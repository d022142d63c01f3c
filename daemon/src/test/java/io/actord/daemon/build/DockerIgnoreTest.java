package io.actord.daemon.build;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code .dockerignore} matching as moby/patternmatcher does it: single patterns (with the {@code **}, prefix and
 * suffix rules and parent directories), several patterns with exceptions (last match wins), the file format, and the
 * patterns Go rejects.
 */
class DockerIgnoreTest {

    @ParameterizedTest(name = "{0} excludes {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "node_modules|node_modules|true",
        "node_modules|node_modules/a/b.js|true",
        "node_modules|src/node_modules|false",
        "*.md|README.md|true",
        "*.md|docs/README.md|false",
        "*/*.md|docs/README.md|true",
        "**/*.md|docs/deep/README.md|true",
        "**/*.md|README.md|true",
        "**|anything/at/all|true",
        "**/dir|dir|true",
        "**/dir|a/dir/file|true",
        "**file|dir/file|true",
        "**file|dir/myfile|true",
        "dir/**|dir|false",
        "dir/**|dir/file|true",
        "dir/**|dir/a/b|true",
        "**/dir2/*|a/dir2/file|true",
        "**/dir2/*|a/dir2|false",
        "a**/*.txt|a/b/c/file.txt|true",
        "a/*.txt|a/dir/file.txt|false",
        "a/*.txt**|a/file.txt|true",
        "a?c|abc|true",
        "a?c|a/c|false",
        "a*c|a/c|false",
        "a[b-d]e|ace|true",
        "a[b-d]e|aae|false",
        "a[^b-d]e|aze|true",
        "[\\]a]|]|true",
        "[x\\-]|-|true",
        ".*|.env|true",
        ".*|env|false",
        "abc.def|abcXdef|false",
        "a(b)c/d+e|a(b)c/d+e|true",
        "a.)$(}+{bc|a.)$(}+{bc|true",
        "a\\*b|a*b|true",
        "a\\*b|axb|false",
        "/abs/path|abs/path|true",
        "./rel|rel/x|true",
        "a/../b|b|true",
        "dist/*.whl|dist/pkg-1.0+g08-py3-none-any.whl|true",
    })
    void shouldMatchOnePattern(String pattern, String path, boolean excluded) {
        assertEquals(excluded, DockerIgnore.parse(pattern + "\n").excludes(path));
    }

    @ParameterizedTest(name = "{0} excludes {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "**;!util/web|util/web/foo|false",
        "**;!util/web;util/web/foo|util/web/foo|true",
        "**;!dist/*.whl|dist/a.whl|false",
        "**;!dist/*.whl|dist/a.txt|true",
        "*.md;!README.md|README.md|false",
        "*.md;!README.md|CHANGES.md|true",
        "!README.md;*.md|README.md|true",
        "docs;!docs/keep.txt|docs/keep.txt|false",
        "docs;!docs/keep.txt|docs/other.txt|true",
        "docs;!docs/keep.txt|docs|true",
        "node_modules;!node_modules/x;node_modules/x/big|node_modules/x/big/y|true",
        "node_modules;!node_modules/x;node_modules/x/big|node_modules/x/small|false",
    })
    void shouldLetTheLastMatchWin(String patterns, String path, boolean excluded) {
        assertEquals(excluded, DockerIgnore.parse(patterns.replace(';', '\n')).excludes(path));
    }

    @Test
    void shouldReadTheFileAsDockerDoes() {
        DockerIgnore ignore = DockerIgnore.parse("\uFEFF# comment\n  \n /spaced \r\n ! /inverted/abs \n"
                + " # not a comment\n"
                + "trailing/\n");

        assertEquals("[spaced, !inverted/abs, # not a comment, trailing]", ignore.toString());
        assertTrue(ignore.hasExceptions());
        assertTrue(ignore.excludes("trailing/x"));
        assertFalse(ignore.excludes("comment"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"!", "  !  ", "[", "a[", "[^bc", "[]a]", "[-]", "[x-]", "[-x]", "[a-b-c]", "[z-a]", "a\\"})
    void shouldRejectWhatGoRejects(String pattern) {
        DockerfileException e = assertThrows(DockerfileException.class, () -> DockerIgnore.parse(pattern));
        assertTrue(e.getMessage().startsWith(".dockerignore: "), e.getMessage());
    }

    @Test
    void shouldCleanPathsAsGoDoes() {
        assertEquals(".", DockerIgnore.clean(""));
        assertEquals(".", DockerIgnore.clean("./"));
        assertEquals("a/c", DockerIgnore.clean("a//b/../c/."));
        assertEquals("../x", DockerIgnore.clean("../x"));
        assertEquals("/x", DockerIgnore.clean("/../x"));
    }
}
