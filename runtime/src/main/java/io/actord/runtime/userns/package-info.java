/**
 * User namespaces per container: the pool of host id ranges containers get ({@link IdRangePool}), the mode
 * that asks for one ({@link UserNamespaceMode}), and the namespace that carries a range's mapping
 * ({@link UserNamespaces}), which actord-init joins and the image layers are idmapped with.
 */
package io.actord.runtime.userns;
