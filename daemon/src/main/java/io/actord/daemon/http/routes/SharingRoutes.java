package io.actord.daemon.http.routes;

import io.actord.daemon.access.Access;
import io.actord.daemon.access.Need;
import io.actord.daemon.access.RunSharing;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.dto.GrantDto;
import io.actord.daemon.api.dto.SharingDto;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Router;
import io.actord.daemon.run.Run;
import io.actord.daemon.user.User;
import io.actord.daemon.user.UserService;

import java.util.List;

/**
 * Sharing a run with other users (actord's namespace; Apify shares through its web console): {@code GET
 * /v2/actord/actor-runs/{runId}/sharing}, and {@code PUT} ({@code {"access": "READ"|"WRITE"}}) or
 * {@code DELETE} {@code .../sharing/users/{user}}. READ lets the user see the run, its log and its
 * storages; WRITE also abort and resurrect it and write its storages. Only the run's owner (or the admin)
 * may see and change this; the general access is Apify's {@code PUT /v2/actor-runs/{runId}}.
 */
public final class SharingRoutes {
    private static final String SHARING = "/v2/actord/actor-runs/{runId}/sharing";

    private final ApiResources resources;
    private final Access access;
    private final UserService users;

    public SharingRoutes(ApiResources resources, Access access, UserService users) {
        this.resources = resources;
        this.access = access;
        this.users = users;
    }

    public void register(Router router) {
        router.get(SHARING, r -> view(run(r).id(), access.sharing(run(r).id())))
                .put(SHARING + "/users/{user}", r -> {
                    Run run = run(r);
                    User user = users.get(r.pathParam("user"));
                    Need level = level(Bodies.json(r, GrantDto.class).access());
                    return view(run.id(), access.grant(run.id(), user.id(), level));
                })
                .delete(SHARING + "/users/{user}", r -> {
                    Run run = run(r);
                    return view(run.id(), access.grant(run.id(), users.get(r.pathParam("user")).id(), null));
                });
    }

    private Run run(ApiRequest r) {
        return resources.run(r, r.pathParam("runId"), Need.MANAGE);
    }

    private static Need level(String access) {
        if ("READ".equals(access)) {
            return Need.READ;
        }
        if ("WRITE".equals(access)) {
            return Need.WRITE;
        }
        throw ApiException.invalidValue("access must be READ or WRITE, got '" + access + "'");
    }

    private ApiResponse view(String runId, RunSharing sharing) {
        List<SharingDto.Grant> grants = sharing.grants().entrySet().stream().map(e -> new SharingDto.Grant(e.getKey(),
                users.find(e.getKey()).map(User::username).orElse(null), e.getValue().name())).toList();
        return ApiResponse.data(200, new SharingDto(runId, sharing.generalAccess().wireName(), grants));
    }
}
