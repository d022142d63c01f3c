package io.actord.daemon.run;

import io.actord.daemon.actor.ActorStandby;
import io.actord.daemon.common.Ids;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one place that knows the container-URL format, both ways: it makes a run's URL from its token, and
 * finds the token in a request. A run has one of two forms:
 * <ul>
 *   <li>host form {@code http://<token>.<containers-domain>[:port]/}, routed by the Host header, when a
 *       containers domain is configured (wildcard DNS, or {@code localhost}, whose subdomains browsers and
 *       curl resolve to loopback): the run's {@code containerUrl}, as on Apify, and its own origin; the
 *       proxy then answers the path form with a redirect to it;</li>
 *   <li>path form {@code <public-url>/containers/<token>/}, for setups without wildcard DNS: the run's
 *       {@code containerUrl} when no containers domain is configured. It shares the API's (and the
 *       console's) origin, so the proxy confines what its answers may do there.</li>
 * </ul>
 * The token is {@value #TOKEN_LENGTH} random lowercase letters and digits from a SecureRandom (about 134
 * bits): lowercase because host names are case-insensitive.
 *
 * <p>It knows the standby-URL format as well (Actor Standby: one URL per actor, not per run), in the same two
 * forms, both made of the actor's <em>standby label</em> {@code <username>--<actor-name>} (Apify's
 * {@code <username>--<actor-name>.apify.actor}), lowercased, with '.' and '_' of the username as '-':
 * <ul>
 *   <li>host form {@code <scheme>://<label>.<containers-domain>[:port]/} when a containers domain is configured
 *       and the label fits a DNS label ({@value #MAX_HOST_LABEL} characters); an actor whose label is longer
 *       has the path form as its standby URL even then (a longer label cannot be resolved by DNS);</li>
 *   <li>path form {@code <public-url>/standby/<label>/}, otherwise. Like a path-form container URL it shares the
 *       API's origin.</li>
 * </ul>
 * A standby label always holds {@code --} and a run token never does, so the two never collide on a host
 * name; in the path form their prefixes differ ({@value #STANDBY_PREFIX} against {@value #PATH_PREFIX}).
 */
public final class ContainerUrls {
    public static final String PATH_PREFIX = "/containers/";
    public static final int TOKEN_LENGTH = 26;
    public static final String STANDBY_PREFIX = "/standby/";
    /** The longest DNS label (RFC 1035): a longer standby label gets the path form only. */
    public static final int MAX_HOST_LABEL = 63;
    private static final String STANDBY_SEPARATOR = "--";

    private final Supplier<String> publicUrl;
    private final Optional<String> domain;

    /**
     * @param publicUrl asked each time: the daemon knows its listener's port only once it is bound
     * @param domain    the containers domain (lowercase), if the host form is served
     */
    public ContainerUrls(Supplier<String> publicUrl, Optional<String> domain) {
        this.publicUrl = publicUrl;
        this.domain = domain;
    }

    /** A new run's token. */
    public static String newToken() {
        return Ids.randomLowercase(TOKEN_LENGTH);
    }

    /** The run's {@code containerUrl} (and APIFY_CONTAINER_URL): the host form when there is a domain, else the path form. */
    public String url(String token) {
        return hostUrl(token).orElseGet(() -> pathUrl(token));
    }

    /** {@code <public-url>/containers/<token>/}. */
    public String pathUrl(String token) {
        return publicUrl() + PATH_PREFIX + token + "/";
    }

    /** {@code <scheme>://<token>.<domain>[:<public port>]/}, when a containers domain is configured. */
    public Optional<String> hostUrl(String token) {
        return domain.map(d -> {
            URI base = URI.create(publicUrl());
            return base.getScheme() + "://" + token + "." + d + (base.getPort() > 0 ? ":" + base.getPort() : "") + "/";
        });
    }

    /** The public URL without a trailing slash. */
    public String publicUrl() {
        String base = publicUrl.get();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** The scheme clients use to reach the daemon (its public URL's): what X-Forwarded-Proto says. */
    public String scheme() {
        String scheme = URI.create(publicUrl()).getScheme();
        return scheme == null ? "http" : scheme.toLowerCase(Locale.ROOT);
    }

    /**
     * The part of a Host header before {@code .<containers-domain>} (port and case ignored), when the host is
     * in the containers domain: a token if the URL is right. Empty for any other host (the API's).
     */
    public Optional<String> hostLabel(String host) {
        if (domain.isEmpty() || host == null) {
            return Optional.empty();
        }
        String name = host.toLowerCase(Locale.ROOT);
        int colon = name.lastIndexOf(':');
        if (colon >= 0 && name.indexOf(']') < colon) {
            name = name.substring(0, colon);
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        String suffix = "." + domain.get();
        if (name.length() <= suffix.length() || !name.endsWith(suffix)) {
            return Optional.empty();
        }
        return Optional.of(name.substring(0, name.length() - suffix.length()));
    }

    /**
     * A request target in the path form, split into the token and the rest (what the run's server gets);
     * empty for any other path. The rest is empty or starts with '?' when the slash after the token is missing.
     */
    public Optional<PathTarget> pathTarget(String uri) {
        if (uri == null || !uri.startsWith(PATH_PREFIX)) {
            return Optional.empty();
        }
        int end = segmentEnd(uri, PATH_PREFIX.length());
        return Optional.of(new PathTarget(uri.substring(PATH_PREFIX.length(), end), uri.substring(end)));
    }

    /** Where the path segment that starts at {@code start} ends: at the next '/', '?' or '#', or the end. */
    private static int segmentEnd(String uri, int start) {
        int end = start;
        while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
            end++;
        }
        return end;
    }

    /**
     * A path-form request target.
     *
     * @param token the token's place in the path (not checked)
     * @param rest  the path and query after the token
     */
    public record PathTarget(String token, String rest) {
        /** What the run's server is told the prefix was (X-Forwarded-Prefix). */
        public String prefix() {
            return PATH_PREFIX + token;
        }

        /** Whether the slash after the token is missing: the client is sent there instead. */
        public boolean needsSlash() {
            return !rest.startsWith("/");
        }
    }

    /** An actor's standby label ({@link ActorStandby#label}, whose rule it is: the actor index needs it too). */
    public static String standbyLabel(String username, String actorName) {
        return ActorStandby.label(username, actorName);
    }

    /** The actor's standby URL ({@code ACTOR_STANDBY_URL}): the host form when it has one, else the path form. */
    public String standbyUrl(String username, String actorName) {
        String label = standbyLabel(username, actorName);
        return standbyHostUrl(label).orElseGet(() -> standbyPathUrl(label));
    }

    /** {@code <public-url>/standby/<label>/}. */
    public String standbyPathUrl(String label) {
        return publicUrl() + STANDBY_PREFIX + label + "/";
    }

    /**
     * {@code <scheme>://<label>.<domain>[:<public port>]/}, when a containers domain is configured and the label
     * is at most {@value #MAX_HOST_LABEL} characters.
     */
    public Optional<String> standbyHostUrl(String label) {
        return label.length() > MAX_HOST_LABEL ? Optional.empty() : hostUrl(label);
    }

    /**
     * The standby target of a request: the host form when the Host header is a standby label in the containers
     * domain (then the path is the actor server's, whatever it is), else the path form when the target starts
     * with {@value #STANDBY_PREFIX} and a label. Empty for anything else: a run's token (no {@code --}), the
     * API's host and paths. The label is not checked against any actor (see {@link StandbyTarget}).
     */
    public Optional<StandbyTarget> standbyTarget(String host, String uri) {
        Optional<String> label = hostLabel(host);
        if (label.isPresent()) {
            return isStandbyLabel(label.get())
                    ? Optional.of(new StandbyTarget(label.get(), uri == null ? "/" : uri, Optional.empty()))
                    : Optional.empty();
        }
        if (uri == null || !uri.startsWith(STANDBY_PREFIX)) {
            return Optional.empty();
        }
        int start = STANDBY_PREFIX.length();
        int end = segmentEnd(uri, start);
        String pathLabel = uri.substring(start, end).toLowerCase(Locale.ROOT);
        return isStandbyLabel(pathLabel) ? Optional.of(new StandbyTarget(pathLabel, uri.substring(end),
                Optional.of(STANDBY_PREFIX + uri.substring(start, end)))) : Optional.empty();
    }

    /** A label with a non-empty part either side of its first {@code --} and no dot (one DNS label). */
    private static boolean isStandbyLabel(String label) {
        int separator = label.indexOf(STANDBY_SEPARATOR);
        return separator > 0 && separator + STANDBY_SEPARATOR.length() < label.length() && label.indexOf('.') < 0;
    }

    /**
     * A request for an actor's standby URL.
     *
     * @param label  the standby label, lowercase: find the actor by it
     *               ({@link io.actord.daemon.actor.ActorService#findStandby}), not by {@link #username()} and
     *               {@link #actorName()}, which are only its two sides split at the first {@code --}
     * @param rest   the request target for the actor's server: the whole target in the host form, the path and
     *               query after the label in the path form (empty or starting with '?' when the slash is missing)
     * @param prefix the path prefix taken off in the path form ({@code /standby/<label>} as sent), for
     *               X-Forwarded-Prefix; empty in the host form
     */
    public record StandbyTarget(String label, String rest, Optional<String> prefix) {
        /** The label's side before its first {@code --}: the username as the label has it. */
        public String username() {
            return label.substring(0, label.indexOf(STANDBY_SEPARATOR));
        }

        /** The label's side after its first {@code --}: the actor name as the label has it. */
        public String actorName() {
            return label.substring(label.indexOf(STANDBY_SEPARATOR) + STANDBY_SEPARATOR.length());
        }

        /** Whether the slash after the label is missing (path form): the client is sent there instead. */
        public boolean needsSlash() {
            return prefix.isPresent() && !rest.startsWith("/");
        }
    }
}
