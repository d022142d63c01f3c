/**
 * Actor input schemas as the platform applies them at a run's start: the build's schema is checked, the input
 * validated against it (the standard keywords by a JSON Schema validator, Apify's own ones here), its defaults
 * filled and its secret fields encrypted for the SDK to decrypt inside the run.
 */
package io.actord.daemon.input;
