package io.actord.daemon;

import io.actord.daemon.access.Access;
import io.actord.daemon.access.Need;
import io.actord.daemon.actor.ActorService;
import io.actord.daemon.actor.BuildImports;
import io.actord.daemon.builds.BuildService;
import io.actord.daemon.common.HostInfo;
import io.actord.daemon.console.ConsoleAssets;
import io.actord.daemon.console.ConsoleRoutes;
import io.actord.daemon.http.Router;
import io.actord.daemon.http.routes.ActorRoutes;
import io.actord.daemon.http.routes.ApiResources;
import io.actord.daemon.http.routes.BuildRoutes;
import io.actord.daemon.http.routes.HealthRoutes;
import io.actord.daemon.http.routes.ImageRoutes;
import io.actord.daemon.http.routes.LogRoutes;
import io.actord.daemon.http.routes.OpenApiRoutes;
import io.actord.daemon.http.routes.PlatformOnlyRoutes;
import io.actord.daemon.http.routes.ResourceCollections;
import io.actord.daemon.http.routes.RunResourceRoutes;
import io.actord.daemon.http.routes.RunRoutes;
import io.actord.daemon.http.routes.RunSyncRoutes;
import io.actord.daemon.http.routes.InputRoutes;
import io.actord.daemon.http.routes.ScheduleRoutes;
import io.actord.daemon.http.routes.SharingRoutes;
import io.actord.daemon.http.routes.StatusRoutes;
import io.actord.daemon.http.routes.StorageRoutes;
import io.actord.daemon.http.routes.TaskRoutes;
import io.actord.daemon.http.routes.UserRoutes;
import io.actord.daemon.http.routes.VersionRoutes;
import io.actord.daemon.http.routes.WebhookRoutes;
import io.actord.daemon.http.routes.Views;
import io.actord.daemon.image.ImageImporter;
import io.actord.daemon.image.NamedImages;
import io.actord.daemon.run.RunDeletion;
import io.actord.daemon.run.RunService;
import io.actord.daemon.runlog.RunLogs;
import io.actord.daemon.schedule.ScheduleService;
import io.actord.daemon.schedule.ScheduleTargets;
import io.actord.daemon.storage.Storages;
import io.actord.daemon.task.TaskService;
import io.actord.daemon.user.UserService;
import io.actord.daemon.version.VersionService;
import io.actord.daemon.webhook.Webhooks;

import java.time.Duration;
import java.time.Instant;

/**
 * The API's route table, registered from the services {@link ActorDaemon} made: one place that lists every route
 * class, so the composition root keeps to the wiring of services.
 */
final class DaemonRoutes {
    /** What the routes act on. */
    record Services(ActorService actors, BuildService builds, RunService runs, Access access, Views views,
                    BuildImports imports, ImageImporter importer, NamedImages images,
                    VersionService versions, TaskService tasks, RunDeletion deletion, RunLogs logs,
                    Storages storages, UserService users, HostInfo host, String runtime, Instant startedAt,
                    Duration syncWait, Webhooks webhooks, ScheduleService schedules,
                    ScheduleTargets scheduleTargets) {
    }

    private DaemonRoutes() {
    }

    static void register(Router router, Services s) {
        ResourceCollections.register(router);
        ApiResources resources = new ApiResources(s.actors(), s.runs(), s.access());
        ActorRoutes actorRoutes = new ActorRoutes(s.actors(), s.runs(), resources, s.access(), s.views(), s.imports(),
                s.versions(), s.builds());
        actorRoutes.register(router);
        new BuildRoutes(s.actors(), s.builds(), resources, s.views(), actorRoutes).register(router);
        new VersionRoutes(resources, s.versions()).register(router);
        new InputRoutes(s.actors(), resources).register(router);
        new ImageRoutes(s.images(), s.importer(), s.imports(), s.access()).register(router);
        RunRoutes runRoutes = new RunRoutes(s.runs(), resources, s.access(), s.views(), s.deletion());
        runRoutes.register(router);
        LogRoutes logRoutes = new LogRoutes(resources, s.logs());
        logRoutes.register(router);
        StorageRoutes storageRoutes = new StorageRoutes(s.storages(), resources);
        storageRoutes.register(router);
        RunSyncRoutes syncRoutes = new RunSyncRoutes(runRoutes, s.runs(), storageRoutes, s.syncWait());
        syncRoutes.register(router);
        TaskRoutes taskRoutes = new TaskRoutes(s.tasks(), s.runs(), resources, s.access(), s.views(), runRoutes);
        taskRoutes.register(router, logRoutes, storageRoutes, syncRoutes);
        new UserRoutes(s.users(), s.runs(), s.storages().registry().usage(), s.access()).register(router);
        new SharingRoutes(resources, s.access(), s.users()).register(router);
        new HealthRoutes(BuildInfo.version(), s.runtime(), s.runs()).register(router);
        new StatusRoutes(BuildInfo.version(), s.runtime(), s.host(), s.startedAt(), s.runs(), s.access())
                .register(router);
        new RunResourceRoutes(s.runs(), resources).register(router);
        new WebhookRoutes(s.webhooks(), resources, s.access(), (r, ref) -> taskRoutes.task(r, ref, Need.READ).id()).register(router);
        new ScheduleRoutes(s.schedules(), s.scheduleTargets(), resources).register(router);
        new PlatformOnlyRoutes(resources).register(router);
        new ConsoleRoutes(ConsoleAssets.load()).register(router);
        new OpenApiRoutes().register(router);
    }
}
