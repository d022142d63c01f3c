/**
 * Raw JNA bindings to glibc: C names, C types, man-page links. Only
 * {@link io.actord.runtime.sys.JnaLinux} may import this package.
 */
package io.actord.runtime.sys.lib;
