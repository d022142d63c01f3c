package io.actord.daemon.run;

import io.actord.daemon.actor.Actor;
import io.actord.daemon.actor.ActorService;
import io.actord.daemon.actor.Build;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.runoptions.RunSize;

/** The options a resurrected run continues with (defaults are the run's previous ones, the build by number). */
record Resurrection(String buildId, String buildNumber, RunOptions options) {
    /**
     * What {@code req} asks of finished {@code run}'s resurrection, its build resolved by {@code actors}; an actor,
     * build, memory or timeout it cannot have is refused as a start refuses it.
     */
    static Resurrection of(Run run, ResurrectRequest req, ActorService actors) {
        Actor actor = actors.byId(run.actId()).orElseThrow(() -> ApiException.notFound("Actor", run.actId()));
        String buildRef = req.build().orElse(run.buildNumber());
        Build build = actors.resolveBuild(actor, buildRef);
        RunSize size = RunSize.of(req.memoryMbytes().orElse((long) run.options().memoryMbytes()));
        int timeout = RunInputs.timeout(req.timeoutSecs().orElse((long) run.options().timeoutSecs()));
        return new Resurrection(build.id(), build.buildNumber(),
                RunOptions.of(buildRef, timeout, size, run.options().network()).with(run.options().limits())
                        .with(req.limits()));
    }
}
