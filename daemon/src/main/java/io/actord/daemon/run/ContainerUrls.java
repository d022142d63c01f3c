package io.actord.daemon.run;

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
 */
public final class ContainerUrls {
    public static final String PATH_PREFIX = "/containers/";
    public static final int TOKEN_LENGTH = 26;

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
        int start = PATH_PREFIX.length();
        int end = start;
        while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
            end++;
        }
        return Optional.of(new PathTarget(uri.substring(start, end), uri.substring(end)));
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
}
