package io.actord.daemon.actor;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.image.BuildUser;
import io.actord.daemon.image.Digest;
import io.actord.daemon.image.ImageConfig;
import io.actord.daemon.image.ImportedImage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * How a build's runs start: its request laid over the imported image's config. The request is checked
 * before anything is imported ({@link #tags}); once the image is in, {@link #of} takes each field from the
 * request or, where it has none, from the image. Only the build's user is looked up in the image's files.
 *
 * @param layers  the image's DiffIDs, lowest first
 * @param command the entrypoint and its arguments (the request's, else the image's Entrypoint and Cmd)
 * @param env     the image's environment with the request's laid over it
 * @param workDir the request's, else the image's, else "/"
 * @param user    the request's, else the image's USER, resolved to numbers in the image
 */
record BuildRecipe(List<String> layers, List<String> command, Map<String, String> env, String workDir,
                   BuildUser user) {
    private static final Pattern TAG = Pattern.compile("^[a-zA-Z0-9._-]{1,64}$");
    private static final Pattern BUILD_NUMBER = Pattern.compile("^\\d{1,4}\\.\\d{1,4}\\.\\d{1,9}$");
    private static final Pattern VERSION = Pattern.compile("^\\d{1,4}\\.\\d{1,4}$");

    /** Whether {@code ref} names a build: a tag ({@code latest}) or a build number ({@code 0.0.3}). */
    static boolean isBuildRef(String ref) {
        return ref != null && (TAG.matcher(ref).matches() || isBuildNumber(ref));
    }

    /** Whether {@code ref} is a build number ({@code 0.0.3}) rather than a tag. */
    static boolean isBuildNumber(String ref) {
        return BUILD_NUMBER.matcher(ref).matches();
    }

    /**
     * Checks a build request before its source is imported: its version, command and source, and its tags,
     * which it returns ({@code latest} when it names none).
     */
    static List<String> tags(ActorService.NewBuild spec) {
        if (spec.version() != null && !VERSION.matcher(spec.version()).matches()) {
            throw ApiException.invalidValue("version must be MAJOR.MINOR (e.g. 0.1), got '" + spec.version() + "'");
        }
        boolean hasCommand = hasCommand(spec);
        if (hasCommand && spec.command().get(0).isBlank()) {
            throw new ApiException(ErrorType.INVALID_INPUT, "the build's command must not start with an empty word");
        }
        if (spec.source() == null) {
            throw new ApiException(ErrorType.INVALID_INPUT, "a build needs an image or a rootfs (a directory or tar"
                    + " file on the daemon's host)");
        }
        if (spec.source() instanceof ActorService.Source.Rootfs && !hasCommand) {
            throw new ApiException(ErrorType.INVALID_INPUT, "a build from a rootfs needs a command (the entrypoint)");
        }
        List<String> tags = spec.tags() == null || spec.tags().isEmpty() ? List.of("latest") : spec.tags();
        tags.forEach(t -> {
            if (!TAG.matcher(t).matches() || isBuildNumber(t)) {
                throw ApiException.invalidValue("build tag '" + t + "' must be 1-64 letters, digits, '.', '_' or '-'"
                        + " and not look like a build number");
            }
        });
        return tags;
    }

    /** The request {@code spec} over {@code image}, whose layers are at {@code layerPath}. */
    static BuildRecipe of(ActorService.NewBuild spec, ImportedImage image, Function<Digest, Path> layerPath) {
        ImageConfig config = image.config();
        List<String> command = hasCommand(spec) ? spec.command() : config.command();
        if (command.isEmpty()) {
            throw new ApiException(ErrorType.INVALID_INPUT, "the image " + image.source() + " has no Entrypoint or Cmd:"
                    + " give the build a command");
        }
        Map<String, String> env = new LinkedHashMap<>();
        config.env().forEach(v -> {
            int eq = v.indexOf('=');
            if (eq > 0) {
                env.put(v.substring(0, eq), v.substring(eq + 1));
            }
        });
        if (spec.env() != null) {
            env.putAll(spec.env());
        }
        List<String> layers = image.layers().stream().map(Digest::toString).toList();
        List<Path> topFirst = new ArrayList<>(image.layers().stream().map(layerPath).toList());
        Collections.reverse(topFirst);
        BuildUser user = BuildUser.resolve(spec.user() != null ? spec.user() : config.user().orElse(null), topFirst);
        String workDir = spec.workDir() != null ? spec.workDir() : config.workingDir().orElse("/");
        return new BuildRecipe(layers, command, env, workDir, user);
    }

    private static boolean hasCommand(ActorService.NewBuild spec) {
        return spec.command() != null && !spec.command().isEmpty();
    }
}
