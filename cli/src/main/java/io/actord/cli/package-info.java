/** actorctl: the admin CLI. It speaks HTTP+JSON to the daemon and depends on no other module. */
package io.actord.cli;
