/**
 * An actor's versions, Apify's unit of source: each version ({@code MAJOR.MINOR}) holds its source (files
 * inline, or a tarball), the tag its builds get and its environment variables, secrets encrypted at rest
 * ({@link io.actord.daemon.version.SecretBox}). Runs of a build of the version get its variables.
 */
package io.actord.daemon.version;
