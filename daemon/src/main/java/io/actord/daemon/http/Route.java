package io.actord.daemon.http;

import io.netty.handler.codec.http.HttpMethod;

/** One method and path template, and the handler that answers it. */
public record Route(HttpMethod method, PathTemplate template, RequestHandler handler) {
}
