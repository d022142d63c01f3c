package io.actord.daemon;

import io.actord.daemon.common.HostInfo;
import io.actord.daemon.common.StateDirectory;
import io.actord.daemon.common.Threads;
import io.actord.daemon.access.Access;
import io.actord.daemon.access.AccessTables;
import io.actord.daemon.actor.ActorService;
import io.actord.daemon.actor.Build;
import io.actord.daemon.actor.ActorTables;
import io.actord.daemon.actor.BuildImports;
import io.actord.daemon.build.BuildTables;
import io.actord.daemon.build.StepDns;
import io.actord.daemon.backup.Backups;
import io.actord.daemon.builds.BuildService;
import io.actord.daemon.builds.Tarballs;
import io.actord.daemon.http.ApiHandler;
import io.actord.daemon.http.ApiServer;
import io.actord.daemon.http.Authenticator;
import io.actord.daemon.http.RequestAuthenticator;
import io.actord.daemon.http.InheritedListeners;
import io.actord.daemon.http.Route;
import io.actord.daemon.http.Router;
import io.actord.daemon.http.Transports;
import io.actord.daemon.http.routes.BackupRoutes;
import io.actord.daemon.http.routes.Views;
import io.actord.daemon.image.Compression;
import io.actord.daemon.image.ImageImporter;
import io.actord.daemon.image.ImageTables;
import io.actord.daemon.image.LayerStore;
import io.actord.daemon.image.NamedImages;
import io.actord.daemon.exec.ExecRoutes;
import io.actord.daemon.inrun.NamespaceEntry;
import io.actord.daemon.inrun.RunEndpoints;
import io.actord.daemon.inrun.RunEvents;
import io.actord.daemon.metrics.DaemonMetrics;
import io.actord.daemon.runlog.RunLogs;
import io.actord.daemon.schedule.ActorTargets;
import io.actord.daemon.schedule.ScheduleService;
import io.actord.daemon.standby.StandbyParts;
import io.actord.daemon.standby.StandbyService;
import io.actord.daemon.schedule.ScheduleTables;
import io.actord.daemon.schedule.Scheduler;
import io.actord.daemon.network.RunDns;
import io.actord.daemon.network.RunNetworks;
import io.actord.daemon.proxy.ContainerAddressResolver;
import io.actord.daemon.proxy.ContainerProxy;
import io.actord.daemon.run.ActiveRuns;
import io.actord.daemon.input.InputSecretKeys;
import io.actord.daemon.input.InputSecretsEnvironment;
import io.actord.daemon.input.RunInputSchemas;
import io.actord.daemon.run.ContainerSpecFactory;
import io.actord.daemon.run.ContainerUrls;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunDeletion;
import io.actord.daemon.run.RunFiles;
import io.actord.daemon.run.RunLimits;
import io.actord.daemon.run.RunListener;
import io.actord.daemon.run.RunOwner;
import io.actord.daemon.readiness.ServerProbe;
import io.actord.daemon.run.RunItemCap;
import io.actord.daemon.run.RunRepository;
import io.actord.daemon.run.RunRetention;
import io.actord.daemon.run.RunService;
import io.actord.daemon.run.RunSteps;
import io.actord.daemon.run.RunTables;
import io.actord.daemon.storage.RunStorages;
import io.actord.daemon.storage.StorageTables;
import io.actord.daemon.system.SystemRoutes;
import io.actord.daemon.storage.Storages;
import io.actord.daemon.state.RocksDbLibrary;
import io.actord.daemon.state.RocksStateStore;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.TableDef;
import io.actord.daemon.user.Tokens;
import io.actord.daemon.user.UserService;
import io.actord.daemon.user.UserTables;
import io.actord.daemon.version.SecretBox;
import io.actord.daemon.task.TaskService;
import io.actord.daemon.task.TaskTables;
import io.actord.daemon.version.VersionService;
import io.actord.daemon.version.VersionTables;
import io.actord.daemon.webhook.WebhookTables;
import io.actord.daemon.webhook.Webhooks;
import io.actord.runtime.ContainerRuntime;
import io.actord.runtime.LayerFiles;
import io.actord.runtime.network.EgressNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The daemon: wires every part by hand, so the whole object graph is visible here. Start order: state
 * store, services, recovery of the runs and builds the last daemon left, then the API. Stop order: the API
 * (no new requests), the builds (stopped: they end FAILED, their pool waited for), the run service
 * (supervisors detach), the supervisor pool (their queued tasks finish while timers still work), timers, API
 * workers, and the store last, once nothing can write to it. Running containers are left running for the
 * next daemon to re-attach; builds cannot be.
 */
public final class ActorDaemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ActorDaemon.class);
    /** Every state table: each package declares its own, joined here for {@link RocksStateStore#open}. */
    public static final List<TableDef<?, ?>> TABLES = Stream.of(UserTables.ALL, ActorTables.ALL, RunTables.ALL,
            AccessTables.ALL, StorageTables.ALL, ImageTables.ALL, WebhookTables.ALL, VersionTables.ALL,
            BuildTables.ALL, TaskTables.ALL, ScheduleTables.ALL).flatMap(List::stream).toList();

    private final DaemonConfig config;
    private final ContainerRuntime runtime;
    private final StateStore store;
    private final ExecutorService worker;
    private final BuildImports imports = new BuildImports(BuildImports.CONCURRENT, BuildImports.WAITING);
    private final ExecutorService supervisors;
    private final ExecutorService buildPool = Executors.newFixedThreadPool(BuildService.THREADS,
            Threads.numbered("build"));
    private final ScheduledThreadPoolExecutor timers;
    private final RunLogs logs;
    private final UserService users;
    private final ActorService actors;
    private final VersionService versions;
    private final BuildService builds;
    private final RunService runs;
    private final TaskService tasks;
    private final RunEndpoints endpoints;
    private final Optional<RunDns> dns;
    private final Duration abortGrace;
    private final Optional<RunRetention> retention;
    private final Scheduler scheduler;
    private final Router router = new Router();
    private final DaemonCluster cluster;
    private volatile ApiServer server;
    private boolean closed;

    private ActorDaemon(DaemonConfig config, ContainerRuntime runtime, Clock clock, RunService.Settings settings,
                        InheritedListeners passed, RunSteps steps, ImageBuilders builders) {
        this.config = config;
        this.runtime = runtime;
        StateDirectory.makePrivate(config.stateDir());
        RocksDbLibrary.load(config.libDir());
        this.store = StateStores.open(config, TABLES);
        this.worker = Executors.newFixedThreadPool(config.workerThreads(), Threads.numbered("api-worker"));
        this.supervisors = Executors.newFixedThreadPool(config.workerThreads(), Threads.numbered("run"));
        this.timers = new ScheduledThreadPoolExecutor(1, Threads.numbered("run-timer"));
        this.timers.setRemoveOnCancelPolicy(true);
        this.abortGrace = settings.grace();
        this.logs = new RunLogs(config.logsDir(), config.logCapBytes(), clock);
        Access access = new Access(store, config.runsReadableById());
        Tokens tokens = new Tokens(store, clock);
        this.users = new UserService(store, tokens, clock, config.userMemoryLimitMbytes(),
                config.userStorageLimitMbytes());
        Compression compression = new Compression(config.libDir().resolve("native"));
        LayerStore layers = LayerStore.open(config.layersDir(), store, LayerFiles.kernel(), compression, clock);
        ImageImporter importer = new ImageImporter(layers, config.imageLimits());
        this.actors = new ActorService(store, importer, clock);
        RunRepository runRecords = new RunRepository(store);
        this.cluster = DaemonCluster.register(config, store.shared(), router, access, layers, clock);
        HostInfo host = HostInfo.detect();
        RunLimits limits = new RunLimits(host.runMemoryMbytes(config.hostMemoryMbytes()),
                config.whenHostFull(), users::memoryLimitMbytes, config.network().mode());
        ActiveRuns activeRuns = new ActiveRuns(runRecords, limits);
        RunOwner owner = cluster.owner();
        Authenticator authenticator = cluster.authenticator(DaemonMetrics.authenticator(config.operations()
                .metricsToken(), new RequestAuthenticator(users, runId -> activeRuns.find(runId)
                .map(r -> !r.status().isTerminal()).orElse(false))));
        Storages storages = Storages.open(store, clock, access, userId -> users.storageLimitMbytes(userId) * 1024 * 1024,
                new RunItemCap(runRecords));
        RunStorages runStorages = new RunStorages(store, storages.registry().usage());
        RunFiles files = new RunFiles(config.runsDir(), config.maxBodyBytes());
        ContainerUrls urls = new ContainerUrls(this::publicUrl, config.containersDomain());
        this.versions = new VersionService(store, SecretBox.open(config.secretsKeyFile()), clock);
        InputSecretKeys inputKeys = InputSecretKeys.open(config.inputSecretsKeyDir());
        ContainerSpecFactory specs = new ContainerSpecFactory(config.containersDir(), urls,
                cluster.layerPaths(actors::layerPaths), b -> InputSecretsEnvironment.of(versions.environment(
                        b.actId(), Build.versionOf(b.buildNumber())), b, inputKeys));
        ContainerAddressResolver containers = new ContainerAddressResolver(urls,
                run -> specs.webServerPort(actors.getBuild(run.buildId())));
        // The runtime says how its containers' namespaces are entered; none of their own: the daemon's is theirs.
        NamespaceEntry netns = runtime.networkNamespaces().map(NamespaceEntry::of).orElse(NamespaceEntry.SAME);
        ContainerProxy proxy = new ContainerProxy(containers, netns, Transports.detect(), urls::scheme,
                config.containerWait());
        this.endpoints = new RunEndpoints(netns, Transports.detect(),
                new ApiHandler(router, worker, config.maxBodyBytes(), authenticator), config.maxBodyBytes(),
                authenticator, tokens, new RunEvents(activeRuns::find, clock, Duration.ofSeconds(1)), this::publicUrl);
        this.runs = RunService.create(runRecords, activeRuns, runtime, specs, endpoints.api(), actors, runStorages,
                logs, files, timers, supervisors, clock, settings, limits, steps, owner);
        this.tasks = new TaskService(store, actors, runs, clock);
        actors.onDelete((batch, actor) -> tasks.deleteOfActorInBatch(batch, actor.id()));
        ServerProbe readiness = ServerProbe.install(runs, netns, timers, specs, actors); // Run.isContainerServerReady
        StandbyService standby = StandbyService.serve(new StandbyParts(actors, users, runs, containers, urls, readiness,
                worker, timers, config.operations().standbyWait(), config.operations().standbyQueue()));
        Views views = new Views(urls, clock, actors::findBuild, id -> access.sharing(id).generalAccess(), readiness);
        Webhooks webhooks = new Webhooks(store, views::run, clock, worker, timers,
                RunNetworks.policy(config.network()), config.webhookRetries(), owner);
        RunDeletion deletion = new RunDeletion(activeRuns, storages.registry(), logs, files, (batch, runId) -> {
            tokens.deleteAllInBatch(batch, runId);
            access.deleteInBatch(batch, runId);
            webhooks.deleteInBatch(batch, runId);
        }, worker);
        this.dns = runtime.network().map(network -> new RunDns(netns,
                Transports.detect().newGroup(1, "run-dns"),
                RunNetworks.dnsUpstreams(config.network(), RunNetworks.HOST_RESOLV_CONF)));
        NamedImages named = new NamedImages(store, layers, clock);
        this.builds = new BuildService(new BuildService.Parts(actors.buildStore(), versions, activeRuns, logs, importer,
                new Tarballs(storages.keyValueStores(), RunNetworks.policy(config.network())), layers::path,
                config.network().mode(), config.stateDir().resolve("builds"), buildPool, timers, clock, owner),
                builders.open(new ImageBuilders.Parts(config, runtime, importer, named, cluster.missingLayers(), store,
                        compression, dns.<StepDns>map(d -> d::serve).orElse(StepDns.NONE), clock)));
        ActorTargets scheduleTargets = new ActorTargets(actors, runs, tasks);
        this.scheduler = new Scheduler(new ScheduleService(store, clock), scheduleTargets, clock);
        DaemonRoutes.register(router, new DaemonRoutes.Services(actors, builds, runs, access, views, imports, importer,
                named, versions, tasks, deletion, logs, storages, users, host, runtime.description(),
                clock.instant(), settings.syncWait(), webhooks, scheduler.service(), scheduleTargets));
        new BackupRoutes(new Backups(DaemonBackup.layout(config), BuildInfo.version(), store, layers, clock), access)
                .register(router);
        SystemRoutes.register(router, new SystemRoutes.Parts(store, layers, deletion, runs::activeRuns,
                b -> actors.findBuild(b).map(Build::layers).orElse(List.of()), access, config.logsDir(),
                config.runsDir(), config.rocksDbDir()));
        RunListener execs = ExecRoutes.register(router, runs::find, () -> users.local().id(),
                config.operations().execOverTcp());
        runs.listen(dns.map(d -> RunListener.all(endpoints.listener(), containers, d, execs))
                .orElse(RunListener.all(endpoints.listener(), containers, execs)));
        runs.onStatusChange(endpoints.listener()::statusChanged);
        dns.ifPresent(d -> runs.onStatusChange(d::statusChanged));
        runs.onStatusChange(containers::statusChanged);
        runs.onStart(webhooks);
        runs.filterInputs(new RunInputSchemas(inputKeys));
        runs.onStatusChange(webhooks::statusChanged);
        runs.onStart(scheduler);
        DaemonMetrics.install(new DaemonMetrics.Parts(router, runs, actors, users, store, runtime, webhooks, proxy,
                config.operations().metricsToken(), clock));
        cluster.recover(runs);
        standby.adopt(runs.activeRuns());
        builds.recover();
        runtime.network().ifPresent(network -> network.releaseStale(runs.activeRuns().stream()
                .filter(run -> run.container() != null).map(Run::containerId).collect(Collectors.toSet())));
        webhooks.resumeDispatches();
        scheduler.start(timers, worker, Duration.ofSeconds(1)); // a fire is at most a second late
        this.retention = config.runRetention().map(period -> new RunRetention(deletion, store, owner, period, clock));
        this.server = ApiServer.start(new ApiServer.Config(config.socket(), config.listen(), config.maxBodyBytes(),
                300, config.ioThreads(), config.connections()), router, worker, Transports.detect(),
                authenticator, Optional.of(proxy::newFrontend), passed);
        cluster.join(publicUrl(), runs, builds, containers, runRecords, worker, clock);
    }

    /**
     * Opens the state, recovers runs and starts serving; {@code runtime} is closed with the daemon. Time is
     * kept in whole milliseconds, the precision Apify's timestamps have.
     */
    public static ActorDaemon start(DaemonConfig config, ContainerRuntime runtime) {
        return start(config, runtime, InheritedListeners.NONE);
    }

    /** As above, serving the listening sockets {@code passed} in instead of binding those of their kind. */
    public static ActorDaemon start(DaemonConfig config, ContainerRuntime runtime, InheritedListeners passed) {
        return start(config, runtime, passed, RunSteps.NONE);
    }

    /** As above, telling {@code steps} each step of a run's path (the crash-window test stops the daemon at one). */
    public static ActorDaemon start(DaemonConfig config, ContainerRuntime runtime, InheritedListeners passed,
                                    RunSteps steps) {
        return new ActorDaemon(config, runtime, Clock.tickMillis(ZoneOffset.UTC),
                RunService.Settings.DEFAULTS.withGrace(config.abortGrace()), passed, steps, ImageBuilders.DEFAULT);
    }

    /** As above, with the image builder {@code builders} makes (tests give a scripted one). */
    public static ActorDaemon start(DaemonConfig config, ContainerRuntime runtime, Clock clock,
                                    RunService.Settings settings, ImageBuilders builders) {
        return new ActorDaemon(config, runtime, clock, settings, InheritedListeners.NONE, RunSteps.NONE, builders);
    }

    public static void main(String[] args) {
        DaemonMain.serve(args, RunSteps.NONE);
    }

    /** For {@code systemctl status}. */
    String statusLine() {
        int n = runs.activeCount();
        return "serving; " + n + " active run" + (n == 1 ? "" : "s");
    }

    /**
     * Runs {@code beat} every {@code period} on the run-timer thread, which also fires run timeouts: if
     * that thread is stuck, the beats stop (systemd's watchdog then restarts the daemon; runs live on).
     */
    public void heartbeat(Duration period, Runnable beat) {
        timers.scheduleAtFixedRate(beat, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Optional<InetSocketAddress> tcpAddress() {
        return server.tcpAddress();
    }

    /** The admin socket's path, when the daemon serves one. */
    Optional<java.nio.file.Path> socketPath() {
        return server.socketPath();
    }

    ContainerRuntime runtime() {
        return runtime;
    }

    /** How long a graceful abort waits before its kill. */
    Duration abortGrace() {
        return abortGrace;
    }

    /** The configured public URL, else the TCP listener's address once bound. */
    private String publicUrl() {
        return config.publicUrl().orElseGet(() -> Optional.ofNullable(server).flatMap(ApiServer::tcpAddress)
                .map(a -> "http://" + a.getHostString() + ":" + a.getPort())
                .orElse("http://127.0.0.1"));
    }

    /** The API's route table (TCP and the admin socket serve the same one). */
    public List<Route> routes() {
        return router.routes();
    }

    public DaemonConfig config() {
        return config;
    }

    public RunEndpoints endpoints() {
        return endpoints;
    }

    public RunService runs() {
        return runs;
    }

    public ActorService actors() {
        return actors;
    }

    /** Actor tasks; {@link TaskService#start(String, String, Optional, TaskService.Overrides, String, Optional)} starts one's run. */
    public TaskService tasks() {
        return tasks;
    }

    public VersionService versions() {
        return versions;
    }

    public UserService users() {
        return users;
    }

    public StateStore store() {
        return store;
    }

    /** The retention sweeper, when finished runs are not kept forever. */
    public Optional<RunRetention> retention() {
        return retention;
    }

    /** Stops serving and supervising; containers keep running. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.close();
        cluster.close();
        scheduler.close();
        builds.close();
        DaemonThreads.shutdown(buildPool, "build");
        retention.ifPresent(RunRetention::close);
        endpoints.close();
        dns.ifPresent(RunDns::close);
        // Runs that ended release their containers while the supervisors' pool drains below.
        boolean containersLeft = runs.activeRuns().stream()
                .anyMatch(run -> run.container() != null && !run.status().isTerminal());
        runs.close();
        DaemonThreads.shutdown(supervisors, "run");
        timers.shutdownNow();
        DaemonThreads.shutdown(worker, "api-worker");
        imports.close();
        store.close();
        if (!containersLeft) {
            // No run lives on to be re-attached: the bridge and the NAT table go too.
            runtime.network().ifPresent(EgressNetwork::removeHost);
        }
        runtime.close();
        LOG.info("actord stopped");
    }
}
