/**
 * Accounts and their credentials: {@link io.actord.daemon.user.UserService} (users, their memory limits,
 * the daemon's own local account), {@link io.actord.daemon.user.Tokens} (user and run tokens, stored as
 * SHA-256 only). The HTTP layer's {@code http.RequestAuthenticator} turns a request's listener
 * and token into its {@link io.actord.daemon.access.Caller} with them.
 */
package io.actord.daemon.user;
