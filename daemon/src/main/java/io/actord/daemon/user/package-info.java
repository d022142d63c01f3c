/**
 * Accounts and their credentials: {@link io.actord.daemon.user.UserService} (users, their memory limits,
 * the daemon's own local account), {@link io.actord.daemon.user.Tokens} (user and run tokens, stored as
 * SHA-256 only) and {@link io.actord.daemon.user.RequestAuthenticator}, which turns a request's listener
 * and token into its {@link io.actord.daemon.access.Caller}.
 */
package io.actord.daemon.user;
