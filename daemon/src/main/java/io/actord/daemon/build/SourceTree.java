package io.actord.daemon.build;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a {@code COPY} takes its files: the build context (honouring {@code .dockerignore}, never leaving it) or
 * the files of an earlier stage or an image ({@code --from}).
 */
interface SourceTree {
    /** A file found: {@code path} relative to the tree's root ('/'-separated, "" for the root), {@code file} on the host. */
    record Source(String path, Path file) {
    }

    /**
     * What the COPY source {@code source} names (several when it has wildcards).
     *
     * @throws DockerfileException naming {@code line} when nothing matches or the source is refused
     */
    List<Source> match(String source, int line);

    /** Everything below the directory {@code dir}, depth first, each directory before what it holds. */
    List<Source> below(Source dir);

    /** The build context's files. */
    static SourceTree of(BuildContext context) {
        return new SourceTree() {
            @Override
            public List<Source> match(String source, int line) {
                return context.sources(source, line).stream()
                        .map(p -> new Source(context.root().relativize(p).toString(), p)).toList();
            }

            @Override
            public List<Source> below(Source dir) {
                return context.entriesUnder(dir.path().isEmpty() ? "." : dir.path()).stream()
                        .filter(e -> !e.path().equals(dir.path())).map(e -> new Source(e.path(), e.file())).toList();
            }
        };
    }

    /** The files of an image's layers. */
    static SourceTree of(LayerStack image) {
        return new SourceTree() {
            @Override
            public List<Source> match(String source, int line) {
                String clean = String.join("/", LayerStack.parts(source));
                int slash = clean.lastIndexOf('/');
                String last = clean.substring(slash + 1);
                if (last.chars().noneMatch(c -> c == '*' || c == '?' || c == '[')) {
                    return List.of(new Source(clean, image.find(clean).orElseThrow(() -> DockerfileException.at(line,
                            "COPY --from: " + source + " is not in the source image"))));
                }
                String parent = slash < 0 ? "" : clean.substring(0, slash);
                IgnorePattern glob = IgnorePattern.glob(last);
                List<Source> matched = new ArrayList<>();
                for (String name : image.children(parent)) {
                    if (glob.matches(name)) {
                        String path = parent.isEmpty() ? name : parent + "/" + name;
                        image.find(path).ifPresent(f -> matched.add(new Source(path, f)));
                    }
                }
                if (matched.isEmpty()) {
                    throw DockerfileException.at(line, "COPY --from: nothing in the source image matches " + source);
                }
                return matched;
            }

            @Override
            public List<Source> below(Source dir) {
                List<Source> all = new ArrayList<>();
                walk(dir.path(), all);
                return all;
            }

            private void walk(String dir, List<Source> out) {
                for (String name : image.children(dir)) {
                    String path = dir.isEmpty() ? name : dir + "/" + name;
                    image.find(path).ifPresent(f -> {
                        out.add(new Source(path, f));
                        if (image.isDirectory(path)) {
                            walk(path, out);
                        }
                    });
                }
            }
        };
    }
}
