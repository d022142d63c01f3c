/** The actord service: wires the state store, the run supervisor and the HTTP servers together. */
package io.actord.daemon;
