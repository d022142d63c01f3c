package io.actord.daemon.version;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.version.ActorVersion.EnvVar;
import io.actord.daemon.version.ActorVersion.SourceFile;
import io.actord.daemon.version.ActorVersion.SourceType;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a version may hold. Source files are paths inside the build's context (relative, no {@code .} or
 * {@code ..} names), at most {@value #MAX_SOURCE_BYTES} bytes decoded in all; a tarball is fetched over HTTP(S)
 * only (never a file on the daemon's host); variables follow POSIX shell names.
 */
final class VersionRules {
    static final int MAX_SOURCE_BYTES = 10 << 20;
    static final int MAX_SOURCE_FILES = 10_000;
    static final int MAX_ENV_VARS = 100;
    static final int MAX_ENV_VALUE_CHARS = 50_000;
    private static final Pattern TAG = Pattern.compile("^[a-zA-Z0-9._-]{1,64}$");
    private static final Pattern BUILD_NUMBER = Pattern.compile("^\\d{1,4}\\.\\d{1,4}\\.\\d{1,9}$");
    private static final Pattern ENV_NAME = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_]{0,127}$");

    private VersionRules() {
    }

    static SourceType sourceType(String given) {
        if (given == null) {
            throw ApiException.invalidValue("sourceType is required: one of " + Arrays.toString(SourceType.values()));
        }
        try {
            return SourceType.valueOf(given);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidValue("sourceType must be one of " + Arrays.toString(SourceType.values())
                    + ", got '" + given + "'");
        }
    }

    static ActorVersion check(ActorVersion v) {
        if (!TAG.matcher(v.buildTag()).matches() || BUILD_NUMBER.matcher(v.buildTag()).matches()) {
            throw ApiException.invalidValue("buildTag '" + v.buildTag() + "' must be 1-64 letters, digits, '.', '_'"
                    + " or '-' and not look like a build number");
        }
        switch (v.sourceType()) {
            case SOURCE_FILES -> checkFiles(v);
            case TARBALL -> url("tarballUrl", v.tarballUrl());
            case GIT_REPO -> url("gitRepoUrl", v.gitRepoUrl());
            case GITHUB_GIST -> url("gitHubGistUrl", v.gitHubGistUrl());
        }
        if (v.envVars().size() > MAX_ENV_VARS) {
            throw ApiException.invalidValue("a version has at most " + MAX_ENV_VARS + " environment variables");
        }
        Set<String> names = new HashSet<>();
        for (EnvVar e : v.envVars()) {
            if (!names.add(e.name())) {
                throw new ApiException(ErrorType.NAME_NOT_UNIQUE, "environment variable " + e.name() + " is given twice");
            }
        }
        return v;
    }

    /** @param keepsSecret whether a missing value keeps a stored secret's */
    static void checkEnvVar(EnvVar e, boolean keepsSecret) {
        if (e.name() == null || !ENV_NAME.matcher(e.name()).matches()) {
            throw ApiException.invalidValue("environment variable name '" + e.name() + "' must be letters, digits"
                    + " and '_' (not starting with a digit), at most 128");
        }
        if (e.value() == null && !keepsSecret) {
            throw ApiException.invalidValue("environment variable " + e.name() + " needs a value");
        }
        if (e.value() != null && (e.value().length() > MAX_ENV_VALUE_CHARS || e.value().indexOf('\0') >= 0)) {
            throw ApiException.invalidValue("environment variable " + e.name() + ": at most " + MAX_ENV_VALUE_CHARS
                    + " characters, no NUL");
        }
    }

    private static void checkFiles(ActorVersion v) {
        if (v.sourceFiles().size() > MAX_SOURCE_FILES) {
            throw ApiException.invalidValue("a version has at most " + MAX_SOURCE_FILES + " source files");
        }
        long bytes = 0;
        Set<String> names = new HashSet<>();
        for (SourceFile f : v.sourceFiles()) {
            String name = f.name();
            if (name == null || name.isEmpty() || name.length() > 1024 || name.startsWith("/")
                    || name.indexOf('\0') >= 0 || Arrays.stream(name.split("/", -1))
                    .anyMatch(p -> p.isEmpty() || p.equals(".") || p.equals(".."))) {
                throw ApiException.invalidValue("source file name '" + name + "' must be a relative path without"
                        + " empty, '.' or '..' names");
            }
            if (!names.add(name)) {
                throw new ApiException(ErrorType.NAME_NOT_UNIQUE, "source file " + name + " is given twice");
            }
            if (f.isFolder()) {
                continue;
            }
            if (f.content() == null) {
                throw ApiException.invalidValue("source file " + name + " needs content");
            }
            bytes += switch (f.format() == null ? "TEXT" : f.format()) {
                case "TEXT" -> f.content().length();
                case "BASE64" -> decodedLength(name, f.content());
                default -> throw ApiException.invalidValue("source file " + name + ": format must be TEXT or BASE64");
            };
            if (bytes > MAX_SOURCE_BYTES) {
                throw ApiException.invalidValue("the source files take more than " + MAX_SOURCE_BYTES + " bytes;"
                        + " use a TARBALL version");
            }
        }
    }

    private static long decodedLength(String name, String content) {
        try {
            return Base64.getDecoder().decode(content.replaceAll("\\s", "")).length;
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidValue("source file " + name + " is not valid BASE64: " + e.getMessage());
        }
    }

    private static void url(String field, String value) {
        try {
            URI uri = new URI(value == null ? "" : value);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw ApiException.invalidValue(field + " must be an http or https URL, got '" + value + "'");
            }
        } catch (URISyntaxException e) {
            throw ApiException.invalidValue(field + " is not a URL: " + e.getMessage());
        }
    }
}
