package io.actord.daemon.actor;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.runoptions.RunSize;

import java.util.regex.Pattern;

/** What an actor's name and default run options must be (400 invalid-value otherwise). */
final class ActorRules {
    /** Apify's actor-name rule: letters, digits and inner dashes, 3 to 63 characters. */
    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9]([a-zA-Z0-9-]{1,61})[a-zA-Z0-9]$");

    private ActorRules() {
    }

    static String validName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.invalidValue("actor name must be 3-63 letters, digits or dashes, starting and ending"
                    + " with a letter or digit, got '" + name + "'");
        }
        return name;
    }

    static DefaultRunOptions validOptions(DefaultRunOptions o) {
        RunSize.of(o.memoryMbytes());
        if (o.timeoutSecs() < 0) {
            throw ApiException.invalidValue("timeoutSecs must be 0 (no timeout) or more, got " + o.timeoutSecs());
        }
        return new DefaultRunOptions(o.build() == null ? "latest" : o.build(), o.timeoutSecs(), o.memoryMbytes(),
                o.network(), o.restartOnError());
    }
}
