package io.actord.daemon.version;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.state.CloseableIterator;
import io.actord.daemon.state.Entry;
import io.actord.daemon.state.KeyRange;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.Table;
import io.actord.daemon.version.ActorVersion.EnvVar;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Actor versions and their environment variables: checked ({@link VersionRules}), secrets sealed before they
 * are stored, and shown with secret values left out. Callers check access to the actor first.
 */
public final class VersionService {
    private static final Pattern VERSION = Pattern.compile("^\\d{1,4}\\.\\d{1,4}$");

    private final StateStore store;
    private final Table<VersionKey, ActorVersion> versions;
    private final SecretBox secrets;
    private final Clock clock;

    public VersionService(StateStore store, SecretBox secrets, Clock clock) {
        this.store = store;
        this.versions = store.table(VersionTables.VERSIONS);
        this.secrets = secrets;
        this.clock = clock;
    }

    /** What a request gives for a version; null fields keep the stored value on an update. */
    public record Input(String versionNumber, String sourceType, List<ActorVersion.SourceFile> sourceFiles,
                        String tarballUrl, String gitRepoUrl, String gitHubGistUrl, String buildTag,
                        Boolean applyEnvVarsToBuild, List<EnvVar> envVars) {
    }

    /** The actor's versions, lowest first, as the API shows them. */
    public List<ActorVersion> list(String actorId) {
        List<ActorVersion> all = new ArrayList<>();
        try (CloseableIterator<Entry<VersionKey, ActorVersion>> it =
                     versions.scan(KeyRange.of(VersionKey.ofActor(actorId)))) {
            it.forEachRemaining(e -> all.add(shown(e.value())));
        }
        all.sort((a, b) -> compare(a.versionNumber(), b.versionNumber()));
        return all;
    }

    public ActorVersion get(String actorId, String versionNumber) {
        return shown(stored(actorId, versionNumber));
    }

    public ActorVersion create(String actorId, Input in) {
        if (in.versionNumber() == null || !VERSION.matcher(in.versionNumber()).matches()) {
            throw ApiException.invalidValue("versionNumber must be MAJOR.MINOR (e.g. 0.1), got '" + in.versionNumber()
                    + "'");
        }
        VersionKey key = new VersionKey(actorId, in.versionNumber());
        if (versions.get(key).isPresent()) {
            throw new ApiException(ErrorType.NAME_NOT_UNIQUE, "the actor already has version " + in.versionNumber());
        }
        Instant now = clock.instant();
        ActorVersion v = VersionRules.check(new ActorVersion(in.versionNumber(), VersionRules.sourceType(
                in.sourceType()), in.sourceFiles(), in.tarballUrl(), in.gitRepoUrl(), in.gitHubGistUrl(),
                in.buildTag() == null ? "latest" : in.buildTag(), Boolean.TRUE.equals(in.applyEnvVarsToBuild()),
                sealed(in.envVars(), List.of()), now, now));
        versions.put(key, v);
        return shown(v);
    }

    /** Changes the fields {@code in} names; a list given replaces the old one (a secret sent without value keeps it). */
    public ActorVersion update(String actorId, String versionNumber, Input in) {
        ActorVersion old = stored(actorId, versionNumber);
        if (in.versionNumber() != null && !in.versionNumber().equals(versionNumber)) {
            throw ApiException.invalidValue("versionNumber cannot change (" + versionNumber + " → "
                    + in.versionNumber() + "): create a new version");
        }
        ActorVersion v = VersionRules.check(new ActorVersion(versionNumber,
                in.sourceType() == null ? old.sourceType() : VersionRules.sourceType(in.sourceType()),
                or(in.sourceFiles(), old.sourceFiles()), or(in.tarballUrl(), old.tarballUrl()),
                or(in.gitRepoUrl(), old.gitRepoUrl()), or(in.gitHubGistUrl(), old.gitHubGistUrl()),
                or(in.buildTag(), old.buildTag()), or(in.applyEnvVarsToBuild(), old.applyEnvVarsToBuild()),
                in.envVars() == null ? old.envVars() : sealed(in.envVars(), old.envVars()), old.createdAt(),
                clock.instant()));
        versions.put(new VersionKey(actorId, versionNumber), v);
        return shown(v);
    }

    public void delete(String actorId, String versionNumber) {
        stored(actorId, versionNumber);
        versions.delete(new VersionKey(actorId, versionNumber));
    }

    /** Removes every version of a deleted actor. */
    public void deleteAll(String actorId) {
        store.write(batch -> versions.deletePrefixInBatch(batch, VersionKey.ofActor(actorId)));
    }

    public List<EnvVar> envVars(String actorId, String versionNumber) {
        return get(actorId, versionNumber).envVars();
    }

    public EnvVar envVar(String actorId, String versionNumber, String name) {
        return envVars(actorId, versionNumber).stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> ApiException.notFound("Environment variable", name));
    }

    public EnvVar createEnvVar(String actorId, String versionNumber, EnvVar var) {
        ActorVersion v = stored(actorId, versionNumber);
        if (v.envVars().stream().anyMatch(e -> e.name().equals(var.name()))) {
            throw new ApiException(ErrorType.NAME_NOT_UNIQUE, "version " + versionNumber + " already has the"
                    + " environment variable " + var.name());
        }
        List<EnvVar> vars = new ArrayList<>(v.envVars());
        vars.add(var);
        return replaceEnvVars(actorId, v, vars, var.name());
    }

    /** Replaces variable {@code name} by {@code var} (which may rename it). */
    public EnvVar updateEnvVar(String actorId, String versionNumber, String name, EnvVar var) {
        ActorVersion v = stored(actorId, versionNumber);
        requireEnvVar(v, name);
        EnvVar next = new EnvVar(var.name() == null ? name : var.name(), var.value(), var.isSecret());
        List<EnvVar> vars = new ArrayList<>(v.envVars().stream().map(e -> e.name().equals(name) ? next : e).toList());
        return replaceEnvVars(actorId, v, vars, next.name());
    }

    public void deleteEnvVar(String actorId, String versionNumber, String name) {
        ActorVersion v = stored(actorId, versionNumber);
        requireEnvVar(v, name);
        replaceEnvVars(actorId, v, v.envVars().stream().filter(e -> !e.name().equals(name)).toList(), null);
    }

    /** The variables of the actor's version as a run gets them (secrets decrypted); none without the version. */
    public Map<String, String> environment(String actorId, String versionNumber) {
        Map<String, String> env = new LinkedHashMap<>();
        lookup(actorId, versionNumber).ifPresent(v -> v.envVars().forEach(e ->
                env.put(e.name(), e.secret() ? secrets.open(e.value()) : e.value())));
        return env;
    }

    /** The stored version, for the builder: secrets still sealed. */
    public Optional<ActorVersion> find(String actorId, String versionNumber) {
        return lookup(actorId, versionNumber);
    }

    private EnvVar replaceEnvVars(String actorId, ActorVersion v, List<EnvVar> vars, String shownName) {
        ActorVersion next = VersionRules.check(v.withEnvVars(sealed(vars, v.envVars()), clock.instant()));
        versions.put(new VersionKey(actorId, v.versionNumber()), next);
        return shownName == null ? null : shown(next).envVars().stream().filter(e -> e.name().equals(shownName))
                .findFirst().orElseThrow();
    }

    private static void requireEnvVar(ActorVersion v, String name) {
        if (v.envVars().stream().noneMatch(e -> e.name().equals(name))) {
            throw ApiException.notFound("Environment variable", name);
        }
    }

    private ActorVersion stored(String actorId, String versionNumber) {
        return lookup(actorId, versionNumber).orElseThrow(() -> ApiException.notFound("Version", versionNumber));
    }

    /**
     * The stored version; none for a number that is not MAJOR.MINOR: no such version is ever stored, and a number
     * from a request path may hold bytes (NUL) that no key can.
     */
    private Optional<ActorVersion> lookup(String actorId, String versionNumber) {
        return versionNumber != null && VERSION.matcher(versionNumber).matches()
                ? versions.get(new VersionKey(actorId, versionNumber)) : Optional.empty();
    }

    /**
     * The variables with their secrets sealed: a secret given without a value keeps the old one of that name
     * (the API never shows it, so a client that sends back what it read sends none).
     */
    private List<EnvVar> sealed(List<EnvVar> given, List<EnvVar> old) {
        if (given == null) {
            return List.of();
        }
        List<EnvVar> out = new ArrayList<>();
        for (EnvVar e : given) {
            VersionRules.checkEnvVar(e, e.secret() && e.value() == null && old.stream()
                    .anyMatch(o -> o.secret() && o.name().equals(e.name())));
            if (!e.secret()) {
                out.add(new EnvVar(e.name(), e.value(), false));
            } else if (e.value() == null) {
                out.add(old.stream().filter(o -> o.secret() && o.name().equals(e.name())).findFirst().orElseThrow());
            } else {
                out.add(new EnvVar(e.name(), secrets.seal(e.value()), true));
            }
        }
        return out;
    }

    /** The version as the API shows it: secret values left out. */
    private static ActorVersion shown(ActorVersion v) {
        return v.withEnvVars(v.envVars().stream().map(e -> e.secret() ? new EnvVar(e.name(), null, true)
                : new EnvVar(e.name(), e.value(), false)).toList(), v.modifiedAt());
    }

    private static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        int major = Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
        return major != 0 ? major : Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
    }

    private static <T> T or(T given, T old) {
        return given == null ? old : given;
    }
}
