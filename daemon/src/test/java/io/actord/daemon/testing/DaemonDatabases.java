package io.actord.daemon.testing;

import io.actord.daemon.state.PostgresServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The test server's databases of daemon directories ({@code -Dactord.test.state=postgres}): each is created on the
 * first start of a daemon in its directory and dropped once that directory is gone (the test's temporary directory
 * removed), at the next daemon start. A daemon restarted on a directory that still exists finds its state; a suite run
 * keeps only the databases of the directories alive at once instead of one per test (each some 7 MB).
 */
final class DaemonDatabases {
    private static final Map<String, Path> DIRECTORIES = new HashMap<>();

    private DaemonDatabases() {
    }

    /** The {@code postgres://} URI of database {@code key} of the daemon in {@code dir}, after the sweep. */
    static synchronized String open(PostgresServer server, String key, Path dir) {
        for (Iterator<Map.Entry<String, Path>> it = DIRECTORIES.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Path> e = it.next();
            if (!e.getKey().equals(key) && !Files.exists(e.getValue())) {
                server.dropDatabase(e.getKey());
                it.remove();
            }
        }
        DIRECTORIES.put(key, dir.toAbsolutePath());
        return server.database(key);
    }
}
