package io.actord.daemon.version;

import java.time.Instant;
import java.util.List;

/**
 * A version of an actor as stored: Apify's Version object, with secret values encrypted
 * ({@link EnvVar#value} of a secret is {@link SecretBox}'s ciphertext).
 *
 * @param versionNumber       {@code MAJOR.MINOR}
 * @param sourceType          where the source is: {@link SourceType}
 * @param sourceFiles         the files of a {@link SourceType#SOURCE_FILES} version
 * @param tarballUrl          the archive of a {@link SourceType#TARBALL} version
 * @param gitRepoUrl          the repository of a {@link SourceType#GIT_REPO} version (stored; not built here)
 * @param gitHubGistUrl       the gist of a {@link SourceType#GITHUB_GIST} version (stored; not built here)
 * @param buildTag            the tag a build of this version gets
 * @param applyEnvVarsToBuild whether the variables are also set while the version builds
 * @param envVars             the variables runs of its builds get
 */
public record ActorVersion(String versionNumber, SourceType sourceType, List<SourceFile> sourceFiles,
                           String tarballUrl, String gitRepoUrl, String gitHubGistUrl, String buildTag,
                           boolean applyEnvVarsToBuild, List<EnvVar> envVars, Instant createdAt, Instant modifiedAt) {
    public ActorVersion {
        sourceFiles = sourceFiles == null ? List.of() : List.copyOf(sourceFiles);
        envVars = envVars == null ? List.of() : List.copyOf(envVars);
    }

    /** Apify's source types. */
    public enum SourceType { SOURCE_FILES, TARBALL, GIT_REPO, GITHUB_GIST }

    /**
     * A file ({@code format} TEXT or BASE64 with its {@code content}) or, with {@code folder}, a directory.
     *
     * @param name a relative path with '/' between its names
     */
    public record SourceFile(String name, String format, String content, Boolean folder) {
        public boolean isFolder() {
            return Boolean.TRUE.equals(folder);
        }
    }

    /** A variable; a secret's {@code value} is write-only on the API and encrypted here. */
    public record EnvVar(String name, String value, Boolean isSecret) {
        public boolean secret() {
            return Boolean.TRUE.equals(isSecret);
        }
    }

    ActorVersion withEnvVars(List<EnvVar> vars, Instant now) {
        return new ActorVersion(versionNumber, sourceType, sourceFiles, tarballUrl, gitRepoUrl, gitHubGistUrl, buildTag,
                applyEnvVarsToBuild, vars, createdAt, now);
    }
}
