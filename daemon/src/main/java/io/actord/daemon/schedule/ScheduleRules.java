package io.actord.daemon.schedule;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.common.Ids;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/** The checks on what a request gives for a schedule: each failure is a 400 invalid-input saying what is wrong. */
final class ScheduleRules {
    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$");
    private static final int MAX_TEXT = 2000;
    static final int MAX_ACTIONS = 100;
    static final String JSON = "application/json; charset=utf-8";

    private ScheduleRules() {
    }

    static ApiException invalid(String message) {
        return new ApiException(ErrorType.INVALID_INPUT, message);
    }

    static String name(String name) {
        if (name != null && !NAME.matcher(name).matches()) {
            throw invalid("name '" + name + "' may hold only letters, digits and inner hyphens (1 to 63)");
        }
        return name;
    }

    static String text(String field, String value) {
        if (value != null && value.length() > MAX_TEXT) {
            throw invalid(field + " is longer than " + MAX_TEXT + " characters");
        }
        return value;
    }

    /**
     * The actions as stored: each checked, its target resolved to an id by {@code resolve} (which throws 400 for
     * an unknown one), an id kept when it names one of {@code old}, else a new one.
     */
    static List<ScheduleAction> actions(List<ScheduleAction> given, List<ScheduleAction> old,
                                        Function<ScheduleAction, String> resolve) {
        if (given.size() > MAX_ACTIONS) {
            throw invalid("a schedule has at most " + MAX_ACTIONS + " actions");
        }
        List<ScheduleAction> out = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            ScheduleAction a = given.get(i);
            if (a == null) {
                throw invalid("actions[" + i + "] is null");
            }
            boolean task = ScheduleAction.RUN_ACTOR_TASK.equals(a.type());
            if (!task && !ScheduleAction.RUN_ACTOR.equals(a.type())) {
                throw invalid("actions[" + i + "].type must be RUN_ACTOR or RUN_ACTOR_TASK, got '" + a.type() + "'");
            }
            String field = task ? "actorTaskId" : "actorId";
            if (a.target() == null || a.target().isBlank()) {
                throw invalid("actions[" + i + "]." + field + " is required for " + a.type());
            }
            String target = resolve.apply(a);
            String id = a.id() != null && old.stream().anyMatch(o -> o.id().equals(a.id())) ? a.id() : Ids.newId();
            out.add(new ScheduleAction(id, a.type(), task ? null : target, task ? target : null,
                    input(a.runInput()), options(i, a.runOptions())));
        }
        return List.copyOf(out);
    }

    private static ScheduleAction.RunInput input(ScheduleAction.RunInput in) {
        if (in == null || in.body() == null) {
            return in;
        }
        return new ScheduleAction.RunInput(in.body(), in.contentType() == null ? JSON : in.contentType());
    }

    private static ScheduleAction.RunOptions options(int i, ScheduleAction.RunOptions o) {
        if (o == null) {
            return null;
        }
        if (o.memoryMbytes() != null && (o.memoryMbytes() < 128 || Long.bitCount(o.memoryMbytes()) != 1)) {
            throw invalid("actions[" + i + "].runOptions.memoryMbytes must be a power of 2 of at least 128, got "
                    + o.memoryMbytes());
        }
        if (o.timeoutSecs() != null && o.timeoutSecs() < 0) {
            throw invalid("actions[" + i + "].runOptions.timeoutSecs must not be negative, got " + o.timeoutSecs());
        }
        return o;
    }
}
