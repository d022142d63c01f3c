package io.actord.daemon.actor;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.runoptions.RunSize;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An actor's Actor Standby options (Apify's {@code actorStandby}): whether requests to the actor's standby URL
 * start and reach runs of it, how many concurrent requests one run is meant to take ({@code desired}: more start
 * another run) and may take ({@code max}), how long a run may go without a request before it is stopped, and the
 * build and memory of those runs. Stored with the {@link Actor} (JSON; actors stored before it have none, which
 * reads as {@link #DISABLED}); every instance is valid ({@link #validated}).
 *
 * <p>Defaults for a field a request leaves out: desired 3, max 4, idle timeout 300 s, build {@code latest}, memory
 * 1024 MB. Apify's API reference gives no defaults; these are the values Apify Store standby pages show for
 * actors that look unchanged from a new actor's settings (desired 3, max 4, 1024 MB), the idle timeout and build
 * that clients' examples send, and the defaults of a run's own options (build {@code latest}, 1024 MB). The fields clients also send are kept and shown as given: {@code disableStandbyFieldsOverride}
 * and {@code shouldPassActorInput} (a standby run starts with no input unless it is true; actord keeps no
 * actor-level input, so it starts with none either way), {@code tenancy} ({@code SINGLE_TENANT} or
 * {@code MULTI_TENANT}) and {@code isConsoleAuthEnabled}; none of them changes what actord does.
 *
 * @param isEnabled                  whether the standby URL serves requests (false: it answers 404)
 * @param desiredRequestsPerActorRun concurrent requests one run is meant to take; more start another run (>= 1)
 * @param maxRequestsPerActorRun     concurrent requests one run may take at most (>= desired)
 * @param idleTimeoutSecs            seconds without a request after which a standby run is stopped (>= 1)
 * @param build                      the build tag or number standby runs start from
 * @param memoryMbytes               the standby runs' memory (a run size: a power of 2, 128 to 32768)
 * @param tenancy                    as the client sent it, or null
 * @param isConsoleAuthEnabled       as the client sent it, or null
 */
public record ActorStandby(@JsonProperty("isEnabled") boolean isEnabled, int desiredRequestsPerActorRun,
                           int maxRequestsPerActorRun, int idleTimeoutSecs, String build, int memoryMbytes,
                           boolean disableStandbyFieldsOverride, boolean shouldPassActorInput, String tenancy,
                           @JsonProperty("isConsoleAuthEnabled") Boolean isConsoleAuthEnabled) {
    public static final int DEFAULT_DESIRED_REQUESTS = 3;
    public static final int DEFAULT_MAX_REQUESTS = 4;
    public static final int DEFAULT_IDLE_TIMEOUT_SECS = 300;
    public static final String DEFAULT_BUILD = "latest";
    public static final int DEFAULT_MEMORY_MBYTES = 1024;
    /** An idle timeout longer than this (30 days) is refused: no timer is armed that far. */
    public static final int MAX_IDLE_TIMEOUT_SECS = 30 * 24 * 3600;
    private static final Pattern TENANCY = Pattern.compile("^[A-Z_]{1,32}$");

    /** What an actor without standby options has: disabled, with the defaults. */
    public static final ActorStandby DISABLED = new ActorStandby(false, DEFAULT_DESIRED_REQUESTS, DEFAULT_MAX_REQUESTS,
            DEFAULT_IDLE_TIMEOUT_SECS, DEFAULT_BUILD, DEFAULT_MEMORY_MBYTES, false, false, null, null);

    /** The defaults, enabled. */
    public static final ActorStandby ENABLED = DISABLED.withEnabled(true);

    public ActorStandby {
        build = build == null ? DEFAULT_BUILD : build;
    }

    /**
     * An actor's standby label, what its standby URL names ({@code ContainerUrls} makes the URLs of it):
     * {@code <username>--<actor-name>}, lowercase (host names ignore case), with '.' and '_' as '-' (neither
     * belongs in a DNS label). Two actors may share one ({@code a.b} and {@code a-b}, {@code MyActor} and
     * {@code myactor}): only one of them may have standby enabled at a time.
     */
    public static String label(String username, String actorName) {
        return (username.replace('.', '-').replace('_', '-') + "--" + actorName).toLowerCase(Locale.ROOT);
    }

    public ActorStandby withEnabled(boolean enabled) {
        return new ActorStandby(enabled, desiredRequestsPerActorRun, maxRequestsPerActorRun, idleTimeoutSecs, build,
                memoryMbytes, disableStandbyFieldsOverride, shouldPassActorInput, tenancy, isConsoleAuthEnabled);
    }

    /**
     * This, checked: 400 invalid-value naming the first field that breaks its rule (desired >= 1, max >= desired,
     * 1 <= idle <= {@value #MAX_IDLE_TIMEOUT_SECS}, memory a run size, build a tag or build number, tenancy
     * upper-case letters and underscores).
     */
    public ActorStandby validated() {
        if (desiredRequestsPerActorRun < 1) {
            throw invalid("desiredRequestsPerActorRun", "must be 1 or more, got " + desiredRequestsPerActorRun);
        }
        if (maxRequestsPerActorRun < desiredRequestsPerActorRun) {
            throw invalid("maxRequestsPerActorRun", "must be at least desiredRequestsPerActorRun ("
                    + desiredRequestsPerActorRun + "), got " + maxRequestsPerActorRun);
        }
        if (idleTimeoutSecs < 1 || idleTimeoutSecs > MAX_IDLE_TIMEOUT_SECS) {
            throw invalid("idleTimeoutSecs", "must be from 1 to " + MAX_IDLE_TIMEOUT_SECS + ", got " + idleTimeoutSecs);
        }
        if (!BuildRecipe.isBuildRef(build)) {
            throw invalid("build", "must be a build tag (1-64 letters, digits, '.', '_' or '-') or a build number"
                    + " (e.g. 0.0.3), got '" + build + "'");
        }
        try {
            RunSize.of(memoryMbytes);
        } catch (ApiException e) {
            throw invalid("memoryMbytes", e.getMessage());
        }
        if (tenancy != null && !TENANCY.matcher(tenancy).matches()) {
            throw invalid("tenancy", "must be SINGLE_TENANT or MULTI_TENANT, got '" + tenancy + "'");
        }
        return this;
    }

    private static ApiException invalid(String field, String why) {
        return ApiException.invalidValue("actorStandby." + field + " " + why);
    }
}
