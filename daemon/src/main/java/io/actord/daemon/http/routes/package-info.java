/**
 * The API's routes, one class per resource. Each registers its paths (under both {@code /v2/acts} and
 * {@code /v2/actors}, as apify-client ≤2.23 and ≥2.24 call them), parses parameters, calls a service and
 * maps the result to Apify's shapes with {@link io.actord.daemon.http.routes.Views}. No logic beyond that.
 */
package io.actord.daemon.http.routes;
