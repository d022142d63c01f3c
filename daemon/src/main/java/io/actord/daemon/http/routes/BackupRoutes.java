package io.actord.daemon.http.routes;

import io.actord.daemon.access.Access;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.backup.Backups;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Router;
import io.netty.handler.codec.http.HttpMethod;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code POST /v2/actord/backup} with {@code {"directory": "/abs/path"}}: writes a backup of the daemon's state
 * into that directory on the daemon's host and answers its manifest (201). The daemon writes a host path as root,
 * so only the admin socket may ask. The backup is written on a thread of its own: it copies for as long as the
 * state is large, which no API worker should wait for.
 */
public final class BackupRoutes {
    public static final String PATH = "/v2/actord/backup";
    private static final Executor OWN_THREAD = task -> {
        Thread t = new Thread(task, "backup");
        t.setDaemon(true);
        t.start();
    };

    private final Backups backups;
    private final Access access;

    public BackupRoutes(Backups backups, Access access) {
        this.backups = backups;
        this.access = access;
    }

    /** What a request names: the directory to write the backup into. */
    public record BackupRequestDto(String directory) {
    }

    public void register(Router router) {
        router.add(HttpMethod.POST, PATH, this::backup);
    }

    private CompletableFuture<ApiResponse> backup(ApiRequest r) {
        access.requireAdmin(r.caller(), "a backup (the daemon writes it to a path on its host) can be made");
        BackupRequestDto body = Bodies.json(r, BackupRequestDto.class);
        if (body.directory() == null || body.directory().isBlank()) {
            throw new ApiException(ErrorType.INVALID_INPUT, "a backup needs 'directory': an absolute path on the"
                    + " daemon's host, a new directory or an empty one");
        }
        return CompletableFuture.supplyAsync(() -> ApiResponse.data(201, backups.backup(body.directory())), OWN_THREAD);
    }
}
