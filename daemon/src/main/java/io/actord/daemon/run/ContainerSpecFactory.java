package io.actord.daemon.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.actord.daemon.actor.Actor;
import io.actord.daemon.actor.ActorService;
import io.actord.daemon.actor.Build;
import io.actord.daemon.common.Json;
import io.actord.daemon.runoptions.RunSize;
import io.actord.runtime.ContainerSpec;
import io.actord.runtime.ExchangeDirectory;
import io.actord.runtime.Output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The only place where Apify run options become a {@link ContainerSpec}: the resources (the cgroup limits and
 * disk of the run's {@link RunSize}), the environment variables Apify's SDKs read (both the ACTOR_ and the
 * APIFY_ names, with the same values, as apify-api.md §5 asks; a standby run's ACTOR_STANDBY_PORT, the web
 * server's, and ACTOR_STANDBY_URL, its actor's standby URL) — including the in-run API, the run's token
 * and its events WebSocket, issued before as an {@link InRunApi.Access} — the rootfs and the entrypoint. A spec
 * is a pure function of its inputs: building one writes nothing.
 */
public final class ContainerSpecFactory {
    /** Apify's DEFAULT_CONTAINER_PORT: where a run's web server listens. */
    public static final int CONTAINER_PORT = 4321;
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final Path containersDir;
    private final ContainerUrls urls;
    private final Function<Build, List<Path>> layers;
    private final Function<Build, Map<String, String>> versionEnv;

    /**
     * {@code layers}: a build's rootfs layers on the host, lowest first; {@code versionEnv}: the variables of the
     * actor version a build belongs to.
     */
    public ContainerSpecFactory(Path containersDir, ContainerUrls urls, Function<Build, List<Path>> layers,
                                Function<Build, Map<String, String>> versionEnv) {
        this.containersDir = containersDir;
        this.urls = urls;
        this.layers = layers;
        this.versionEnv = versionEnv;
    }

    /**
     * The spec of the run's current container, with {@code files} at {@link RunFiles#MOUNT} and the API
     * reached as {@code api} says.
     */
    public ContainerSpec create(Run run, Actor actor, Build build, ExchangeDirectory files, InRunApi.Access api) {
        RunSize size = run.options().size();
        return new ContainerSpec(run.containerId(), layers.apply(build), build.command(),
                environment(run, actor, build, api), build.workDir(),
                new ContainerSpec.User(build.user().uid(), build.user().gid(), List.of()), run.id(), size.resources(), size.disk(),
                run.options().network().mode(), List.of(), new Output.Pipe(), containerRunDir(run.containerId()),
                Optional.of(files), Optional.empty());
    }

    /** The runtime's scratch directory for a container (it creates and removes it). */
    public Path containerRunDir(String containerId) {
        return containersDir.resolve(containerId);
    }

    /** The ids of the containers that have a scratch directory now. */
    Set<String> containerDirectories() {
        if (!Files.isDirectory(containersDir)) {
            return Set.of();
        }
        try (Stream<Path> dirs = Files.list(containersDir)) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException("list " + containersDir, e);
        }
    }

    /**
     * The container's environment: the build's own variables, then its actor version's, then the platform's,
     * which win.
     */
    Map<String, String> environment(Run run, Actor actor, Build build, InRunApi.Access api) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", PATH);
        env.put("HOME", "/root");
        env.putAll(ownEnvironment(build));
        both(env, "ACTOR_RUN_ID", "APIFY_ACTOR_RUN_ID", run.id());
        both(env, "ACTOR_ID", "APIFY_ACTOR_ID", actor.id());
        both(env, "ACTOR_BUILD_ID", "APIFY_ACTOR_BUILD_ID", build.id());
        both(env, "ACTOR_BUILD_NUMBER", "APIFY_ACTOR_BUILD_NUMBER", build.buildNumber());
        env.put("ACTOR_BUILD_TAGS", String.join(",", ActorService.tagsOf(actor, build)));
        env.put("ACTOR_FULL_NAME", actor.username() + "/" + actor.name());
        env.put("APIFY_USER_ID", run.userId());
        env.put("APIFY_META_ORIGIN", run.origin());
        if (run.actorTaskId() != null) {
            both(env, "ACTOR_TASK_ID", "APIFY_ACTOR_TASK_ID", run.actorTaskId());
        }
        RunOptions o = run.options();
        if (o.maxItems() != null) {
            env.put("ACTOR_MAX_PAID_DATASET_ITEMS", Long.toString(o.maxItems()));
        }
        if (o.maxTotalChargeUsd() != null) {
            env.put("ACTOR_MAX_TOTAL_CHARGE_USD", BigDecimal.valueOf(o.maxTotalChargeUsd()).toPlainString());
        }
        if (o.restartOnError()) {
            env.put("ACTOR_RESTART_ON_ERROR", "1");
        }
        both(env, "ACTOR_DEFAULT_KEY_VALUE_STORE_ID", "APIFY_DEFAULT_KEY_VALUE_STORE_ID", run.defaultKeyValueStoreId());
        both(env, "ACTOR_DEFAULT_DATASET_ID", "APIFY_DEFAULT_DATASET_ID", run.defaultDatasetId());
        both(env, "ACTOR_DEFAULT_REQUEST_QUEUE_ID", "APIFY_DEFAULT_REQUEST_QUEUE_ID", run.defaultRequestQueueId());
        env.put("ACTOR_STORAGES_JSON", storagesJson(run));
        both(env, "ACTOR_INPUT_KEY", "APIFY_INPUT_KEY", run.inputKey());
        both(env, "ACTOR_MEMORY_MBYTES", "APIFY_MEMORY_MBYTES", Integer.toString(run.options().memoryMbytes()));
        env.put("APIFY_DEDICATED_CPUS", Double.toString(run.options().size().cpuCores()));
        both(env, "ACTOR_STARTED_AT", "APIFY_STARTED_AT", run.startedAt().toString());
        if (run.timeoutAt() != null) {
            both(env, "ACTOR_TIMEOUT_AT", "APIFY_TIMEOUT_AT", run.timeoutAt().toString());
        }
        both(env, "ACTOR_WEB_SERVER_PORT", "APIFY_CONTAINER_PORT", Integer.toString(webServerPort(build)));
        both(env, "ACTOR_WEB_SERVER_URL", "APIFY_CONTAINER_URL", urls.url(run.containerUrlToken()));
        if (StartRequest.STANDBY.equals(run.origin())) {
            env.put("ACTOR_STANDBY_PORT", env.get("ACTOR_WEB_SERVER_PORT"));
            env.put("ACTOR_STANDBY_URL", urls.standbyUrl(actor.username(), actor.name()));
        }
        env.put("APIFY_HEADLESS", "1");
        env.put("APIFY_IS_AT_HOME", "1");
        env.put("APIFY_TOKEN", api.token());
        env.put("APIFY_API_BASE_URL", api.baseUrl());
        env.put("APIFY_API_PUBLIC_BASE_URL", api.publicBaseUrl());
        both(env, "ACTOR_EVENTS_WEBSOCKET_URL", "APIFY_ACTOR_EVENTS_WS_URL", api.eventsUrl());
        env.put(RunFiles.ENV, RunFiles.MOUNT);
        return env;
    }

    private Map<String, String> ownEnvironment(Build build) {
        Map<String, String> env = new LinkedHashMap<>(build.env());
        env.putAll(versionEnv.apply(build));
        return env;
    }

    /**
     * The port the run's web server listens on inside its container, where the container-URL proxy
     * connects: ACTOR_WEB_SERVER_PORT or APIFY_CONTAINER_PORT of the build or its actor version (as a
     * version's environment sets it on Apify) when it is a port number, else {@value #CONTAINER_PORT}.
     */
    public int webServerPort(Build build) {
        Map<String, String> own = ownEnvironment(build);
        for (String name : List.of("ACTOR_WEB_SERVER_PORT", "APIFY_CONTAINER_PORT")) {
            String value = own.get(name);
            if (value != null && value.trim().matches("\\d{1,5}")) {
                int port = Integer.parseInt(value.trim());
                if (port > 0 && port <= 65535) {
                    return port;
                }
            }
        }
        return CONTAINER_PORT;
    }

    private static void both(Map<String, String> env, String actorName, String apifyName, String value) {
        env.put(actorName, value);
        env.put(apifyName, value);
    }

    private static String storagesJson(Run run) {
        try {
            return Json.MAPPER.writeValueAsString(Map.of(
                    "datasets", Map.of("default", run.defaultDatasetId()),
                    "keyValueStores", Map.of("default", run.defaultKeyValueStoreId()),
                    "requestQueues", Map.of("default", run.defaultRequestQueueId())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serialise storage ids", e);
        }
    }
}
