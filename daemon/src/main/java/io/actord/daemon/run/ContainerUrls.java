package io.actord.daemon.run;

/**
 * Where a run's web server is reached from outside: the one place that turns a run's container-URL token
 * into a URL. Path-based on the daemon's public URL ({@code <public-url>/containers/<token>}), because it
 * needs no wildcard DNS; the proxy serves it.
 */
public final class ContainerUrls {
    public static final String PATH_PREFIX = "/containers/";

    private final String publicUrl;

    public ContainerUrls(String publicUrl) {
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    public String url(String token) {
        return publicUrl + PATH_PREFIX + token;
    }

    public String publicUrl() {
        return publicUrl;
    }
}
