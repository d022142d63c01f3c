package io.actord.daemon.builds;

import io.actord.daemon.build.BuildControl;
import io.actord.daemon.build.BuildFailedException;
import io.actord.daemon.build.BuildOutput;
import io.actord.daemon.build.BuildRequest;
import io.actord.daemon.build.BuiltImage;
import io.actord.daemon.build.ImageBuilder;

import java.util.OptionalInt;

/** The builder of a daemon that has none: every build fails, saying so. */
public final class UnavailableBuilder implements ImageBuilder {
    public static final String MESSAGE = "the builder is not available";

    @Override
    public BuiltImage build(BuildRequest request, BuildOutput out, BuildControl control) {
        throw new BuildFailedException(BuildFailedException.Cause.INVALID, OptionalInt.empty(), MESSAGE);
    }
}
