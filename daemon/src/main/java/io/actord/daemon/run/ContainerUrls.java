package io.actord.daemon.run;

import java.util.function.Supplier;

/**
 * Where a run's web server is reached from outside: the one place that turns a run's container-URL token
 * into a URL. Path-based on the daemon's public URL ({@code <public-url>/containers/<token>}), because it
 * needs no wildcard DNS; the proxy serves it.
 */
public final class ContainerUrls {
    public static final String PATH_PREFIX = "/containers/";

    private final Supplier<String> publicUrl;

    /** {@code publicUrl} is asked each time: the daemon knows its listener's port only once it is bound. */
    public ContainerUrls(Supplier<String> publicUrl) {
        this.publicUrl = publicUrl;
    }

    public String url(String token) {
        return publicUrl() + PATH_PREFIX + token;
    }

    public String publicUrl() {
        String base = publicUrl.get();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
