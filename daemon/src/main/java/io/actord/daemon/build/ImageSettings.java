package io.actord.daemon.build;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The image config a stage starts from and keeps up to date: what {@link StageState} does not keep itself
 * (environment, working directory, user and shell are its), as a base image or an earlier stage gives it.
 *
 * @param env        "NAME=value" strings, as image configs write them
 * @param workDir    empty: "/"
 * @param user       as written, empty: root
 */
record ImageSettings(List<String> entrypoint, List<String> cmd, List<String> env, String workDir,
                     Optional<String> user, Map<String, String> labels) {
    static final ImageSettings NONE = new ImageSettings(List.of(), List.of(), List.of(), "/", Optional.empty(),
            Map.of());

    ImageSettings {
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = List.copyOf(env);
        labels = Map.copyOf(labels);
    }

    /** The environment as a map, in order (a string without '=' is a name with an empty value, as Docker reads it). */
    Map<String, String> envMap() {
        Map<String, String> map = new LinkedHashMap<>();
        for (String e : env) {
            int eq = e.indexOf('=');
            map.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
        }
        return map;
    }
}
