/**
 * The web console: static files (plain ES modules and CSS, no build step) kept in the daemon jar and served
 * on the API listener at {@code /} and {@code /console/<version>/…}. The console itself only calls the
 * public API, with the token the user signs in with.
 */
package io.actord.daemon.console;
