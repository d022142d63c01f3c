/**
 * Build-time tools of the Debian package (packaging/pom.xml): they write what the package documents actorctl with,
 * from actorctl's own command tree. Nothing here ships in the package or runs on a host that installs it.
 */
package io.actord.packaging;
