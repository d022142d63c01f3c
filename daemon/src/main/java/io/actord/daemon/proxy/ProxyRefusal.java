package io.actord.daemon.proxy;

import io.actord.daemon.common.Futures;
import io.netty.handler.codec.http.HttpResponseStatus;


/**
 * Why the proxy answers a request itself instead of relaying it, as the page it answers with: what a
 * {@link StandbyGate.Admission} fails with (401, 403, 404, 502, 503, 504).
 */
public final class ProxyRefusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient HttpResponseStatus status;

    /** @param page the page's text, for a person at a browser or curl: what happened and what to do */
    public ProxyRefusal(HttpResponseStatus status, String page) {
        super(page, null, false, false);
        this.status = status;
    }

    /** What a failed admission says: its refusal, or a 502 page for any other failure. */
    static ProxyRefusal of(Throwable error) {
        Throwable cause = Futures.cause(error);
        return cause instanceof ProxyRefusal r ? r : new ProxyRefusal(HttpResponseStatus.BAD_GATEWAY,
                ProxyPages.unreachable(String.valueOf(cause.getMessage())));
    }

    public HttpResponseStatus status() {
        return status;
    }

    public String page() {
        return getMessage();
    }
}
