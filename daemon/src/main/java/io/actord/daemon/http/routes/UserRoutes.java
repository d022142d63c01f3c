package io.actord.daemon.http.routes;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.access.Access;
import io.actord.daemon.access.Caller;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.api.dto.CreateUserDto;
import io.actord.daemon.api.dto.ListPage;
import io.actord.daemon.api.dto.MeDto;
import io.actord.daemon.api.dto.TokenDto;
import io.actord.daemon.api.dto.UserDto;
import io.actord.daemon.api.dto.UserLimitsDto;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.RequestHandler;
import io.actord.daemon.http.Router;
import io.actord.daemon.run.RunService;
import io.actord.daemon.storage.StorageUsage;
import io.actord.daemon.user.ApiToken;
import io.actord.daemon.user.Tokens;
import io.actord.daemon.user.User;
import io.actord.daemon.user.UserService;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Users and tokens. {@code GET /v2/users/me[/limits|/usage/monthly]} (Apify's; {@code me} or the caller's own id
 * or username) answer any caller with a token about their own account; {@code PUT …/limits} is 400 not-implemented. The admin API, in actord's own namespace and over the admin Unix socket only:
 * {@code /v2/actord/users} (create, list), {@code /v2/actord/users/{user}} (get, set the memory and storage
 * limits, delete), {@code /v2/actord/users/{user}/tokens[/{tokenId}]} (create — the token is in that answer and
 * nowhere else —, list, revoke). {@code {user}} is an id or a username.
 */
public final class UserRoutes {
    private static final String USERS = "/v2/actord/users";
    /** Apify's user endpoints: {@code me} or the caller's own id or username. */
    private static final String USER = "/v2/users/{userId}";
    private static final double MB_PER_GB = 1024;

    private final UserService users;
    private final RunService runs;
    private final StorageUsage storage;
    private final Access access;

    public UserRoutes(UserService users, RunService runs, StorageUsage storage, Access access) {
        this.users = users;
        this.runs = runs;
        this.storage = storage;
        this.access = access;
    }

    public void register(Router router) {
        router.get(USER, this::me)
                .get(USER + "/limits", this::limits)
                .put(USER + "/limits", r -> {
                    caller(r);
                    throw new ApiException(ErrorType.NOT_IMPLEMENTED, "actord has no monthly usage cap or per-user"
                            + " data retention to set; the daemon's admin sets a user's memory and storage limits"
                            + " (PUT /v2/actord/users/{user} over the admin socket, or actorctl)");
                })
                .get(USER + "/usage/monthly", this::monthlyUsage)
                .post(USERS, admin(this::create))
                .get(USERS, admin(r -> {
                    List<UserDto> all = users.list().stream().map(this::view).toList();
                    return ApiResponse.data(200, ListPage.of(all.size(), 0, all.size(), false, all));
                }))
                .get(USERS + "/{user}", admin(r -> ApiResponse.data(200, view(user(r)))))
                .put(USERS + "/{user}", admin(this::update))
                .delete(USERS + "/{user}", admin(r -> {
                    users.delete(user(r).id(), runs::userHasActiveRuns);
                    return ApiResponse.noContent();
                }))
                .post(USERS + "/{user}/tokens", admin(this::createToken))
                .get(USERS + "/{user}/tokens", admin(r -> {
                    List<TokenDto> all = users.tokens().list(user(r).id()).stream().map(t -> token(t, null)).toList();
                    return ApiResponse.data(200, ListPage.of(all.size(), 0, all.size(), false, all));
                }))
                .delete(USERS + "/{user}/tokens/{tokenId}", admin(r -> {
                    String tokenId = r.pathParam("tokenId");
                    if (!users.tokens().revoke(user(r).id(), tokenId)) {
                        throw ApiException.notFound("Token", tokenId);
                    }
                    return ApiResponse.noContent();
                }));
    }

    /** Every admin route checks the caller first, before it reads anything. */
    private RequestHandler.Sync admin(RequestHandler.Sync handler) {
        return r -> {
            access.requireAdmin(r.caller(), "users and tokens can be managed");
            return handler.handle(r);
        };
    }

    private ApiResponse me(ApiRequest r) {
        User me = caller(r);
        return ApiResponse.data(200, new MeDto(me.id(), me.username(), Map.of(), me.createdAt(), false));
    }

    private ApiResponse limits(ApiRequest r) {
        User me = caller(r);
        long active = runs.activeRuns().stream().filter(run -> run.userId().equals(me.id())
                && !run.status().isTerminal()).count();
        return ApiResponse.data(200, new UserLimitsDto(
                new UserLimitsDto.Limits(users.memoryLimitMbytes(me.id()) / MB_PER_GB),
                new UserLimitsDto.Current(runs.usedMemoryMbytes(me.id()) / MB_PER_GB, active)));
    }

    /**
     * The platform's monthly usage object for the current calendar month (UTC), with nothing charged: actord bills
     * no one, so every amount is 0 and no service usage is listed (a run's compute units are on the run).
     */
    private ApiResponse monthlyUsage(ApiRequest r) {
        caller(r);
        YearMonth month = YearMonth.now(ZoneOffset.UTC);
        Map<String, Object> cycle = Map.of("startAt", month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC),
                "endAt", month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).minusMillis(1));
        return ApiResponse.data(200, Map.of("usageCycle", cycle, "monthlyServiceUsage", Map.of(),
                "dailyServiceUsages", List.of(), "totalUsageCreditsUsdBeforeVolumeDiscount", 0,
                "totalUsageCreditsUsdAfterVolumeDiscount", 0));
    }

    /**
     * The user the path names, which must be the caller: {@code me}, or their own id or username. Another user's
     * account is 404 record-not-found (the platform shows others a public profile; actord does not list its users
     * to one another).
     */
    private User caller(ApiRequest r) {
        Caller caller = r.caller();
        String ref = r.pathParam("userId");
        if (!ref.equals("me") && !ref.equals(caller.userId()) && !ref.equals(caller.username())) {
            throw ApiException.notFound("User", ref);
        }
        return users.get(caller.userId());
    }

    private ApiResponse create(ApiRequest r) {
        CreateUserDto body = Bodies.json(r, CreateUserDto.class);
        User u = users.create(body.username(), body.memoryLimitMbytes(), body.storageLimitMbytes());
        return ApiResponse.data(201, view(u)).withHeader("Location", USERS + "/" + u.id());
    }

    /** Sets the limits the body names ({@code memoryLimitMbytes}, {@code storageLimitMbytes}); null = the default. */
    private ApiResponse update(ApiRequest r) {
        String id = user(r).id();
        JsonNode body = StorageRequests.json(r);
        CreateUserDto limits = Bodies.json(r, CreateUserDto.class);
        if (body.has("memoryLimitMbytes")) {
            users.setMemoryLimit(id, limits.memoryLimitMbytes());
        }
        if (body.has("storageLimitMbytes")) {
            users.setStorageLimit(id, limits.storageLimitMbytes());
        }
        return ApiResponse.data(200, view(users.get(id)));
    }

    private ApiResponse createToken(ApiRequest r) {
        User u = user(r);
        String name = r.body().length == 0 ? null : StorageRequests.json(r).path("name").asText(null);
        Tokens.Issued issued = users.tokens().issue(u.id(), name);
        return ApiResponse.data(201, token(issued.token(), issued.secret()));
    }

    private User user(ApiRequest r) {
        return users.get(r.pathParam("user"));
    }

    private UserDto view(User u) {
        return new UserDto(u.id(), u.username(), u.createdAt(), users.memoryLimitMbytes(u.id()),
                u.memoryLimitMbytes() == null, runs.usedMemoryMbytes(u.id()), users.storageLimitMbytes(u.id()),
                u.storageLimitMbytes() == null, storage.usedBytes(u.id()));
    }

    private static TokenDto token(ApiToken t, String secret) {
        return new TokenDto(t.id(), t.name(), t.createdAt(), t.hint(), secret);
    }
}
