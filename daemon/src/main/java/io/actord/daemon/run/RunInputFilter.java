package io.actord.daemon.run;

import io.actord.daemon.actor.Build;
import io.actord.daemon.storage.KvRecord;

import java.util.Optional;

/**
 * What a start (or metamorph) does with its input before anything is stored: the build's input schema checks it,
 * fills its defaults and encrypts its secret fields ({@code daemon.input}). It throws
 * {@link io.actord.daemon.api.ApiException} 400 for input the run must not start with.
 */
@FunctionalInterface
public interface RunInputFilter {
    /** Input as it came. */
    RunInputFilter NONE = (build, input) -> input;

    /** The INPUT record a run of {@code build} starts with, given the request's {@code input} (empty: none). */
    Optional<KvRecord> apply(Build build, Optional<KvRecord> input);
}
