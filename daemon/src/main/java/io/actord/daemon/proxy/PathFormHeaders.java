package io.actord.daemon.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Confines a run's answer served in the path form ({@code <public-url>/containers/<token>/…}), which shares
 * the API's and the console's origin, to its own prefix (#20 defect 7). The console keeps the API token in
 * the browser; without this, a run's page could read it from the origin's storage, put a service worker over
 * the whole origin, or set cookies for every path of it.
 * <ul>
 *   <li>{@code Content-Security-Policy: sandbox …} without {@code allow-same-origin} (added beside any policy
 *       of the run's own; every policy is enforced): the page gets an opaque origin, so it can neither read
 *       nor write the origin's storage and cookies nor register a service worker, and the console it might
 *       open in a frame or pop-up is sandboxed too (the console also refuses frames). Scripts, forms,
 *       pop-ups, downloads and dialogs still work; what needs the origin does not (cookies, localStorage,
 *       IndexedDB), and the page's own fetches and module scripts become cross-origin requests, which need
 *       CORS headers from the run's server. The host form (--containers-domain) is the full-fidelity one.</li>
 *   <li>{@code Service-Worker-Allowed}, {@code Clear-Site-Data} and {@code Strict-Transport-Security} are
 *       dropped: each would act on the whole origin or host (a worker's scope, wiping the console's storage,
 *       HTTPS for every port of the host), not on the run's prefix.</li>
 *   <li>{@code Set-Cookie}: a {@code Domain} attribute is dropped (the cookie stays host-only), and a
 *       {@code Path} outside the prefix becomes {@code /containers/<token>/}. A cookie without a Path keeps
 *       none: a browser then takes the request path's directory, which is inside the prefix.</li>
 * </ul>
 */
final class PathFormHeaders {
    /** What a path-form answer may do in the browser: everything but share the console's origin. */
    static final String SANDBOX = "sandbox allow-scripts allow-forms allow-popups allow-downloads allow-modals";
    private static final AsciiString SERVICE_WORKER_ALLOWED = AsciiString.cached("service-worker-allowed");
    private static final AsciiString CLEAR_SITE_DATA = AsciiString.cached("clear-site-data");
    private static final AsciiString STRICT_TRANSPORT_SECURITY = AsciiString.cached("strict-transport-security");

    private PathFormHeaders() {
    }

    /** Confines the headers of a final (not 1xx) answer served under {@code prefix} ({@code /containers/<token>}). */
    static void confine(HttpHeaders headers, String prefix) {
        headers.remove(SERVICE_WORKER_ALLOWED);
        headers.remove(CLEAR_SITE_DATA);
        headers.remove(STRICT_TRANSPORT_SECURITY);
        List<String> cookies = headers.getAll(HttpHeaderNames.SET_COOKIE);
        if (!cookies.isEmpty()) {
            headers.remove(HttpHeaderNames.SET_COOKIE);
            cookies.forEach(c -> headers.add(HttpHeaderNames.SET_COOKIE, cookie(c, prefix)));
        }
        headers.add(HttpHeaderNames.CONTENT_SECURITY_POLICY, SANDBOX);
    }

    /**
     * One Set-Cookie value without a Domain attribute and with its Path inside {@code prefix}; unchanged if it
     * already is. RFC 6265 5.2: attributes are separated by ';', names are case-insensitive, the last Path counts.
     */
    static String cookie(String setCookie, String prefix) {
        String[] parts = setCookie.split(";");
        List<String> kept = new ArrayList<>();
        kept.add(parts[0].trim());
        String path = null;
        boolean domain = false;
        for (int i = 1; i < parts.length; i++) {
            String attribute = parts[i].trim();
            int eq = attribute.indexOf('=');
            String name = (eq < 0 ? attribute : attribute.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            if (name.equals("path")) {
                path = eq < 0 ? "" : attribute.substring(eq + 1).trim();
            } else if (name.equals("domain")) {
                domain = true;
            } else if (!attribute.isEmpty()) {
                kept.add(attribute);
            }
        }
        boolean escapes = path != null && !inside(path, prefix);
        if (!domain && !escapes) {
            return setCookie;
        }
        if (path != null) {
            kept.add("Path=" + (escapes ? prefix + "/" : path));
        }
        return String.join("; ", kept);
    }

    /**
     * Whether a cookie with this Path is sent only under the prefix: RFC 6265 5.1.4 path-match is a string
     * prefix test that needs a '/' after a cookie path not ending in one, so {@code /containers/<token>}
     * does not match another token that begins with this one. An empty or relative Path makes the browser
     * take the default path (5.2.4), the request's directory: inside too, but it is made explicit here.
     */
    private static boolean inside(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
