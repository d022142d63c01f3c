package io.actord.cli.commands;

import io.actord.cli.ActordCli;
import io.actord.cli.testing.AgainstDaemon;
import io.actord.cli.testing.Cli;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** users create|list|delete and tokens create|list|revoke against a real daemon, and the tokens over TCP. */
class UsersCommandsTest extends AgainstDaemon {
    @Test
    void shouldCreateAUserAndListThem() {
        Cli.Result created = cli.run("users", "create", "ann", "--memory-limit", "2048");
        assertEquals(0, created.status(), created.toString());
        assertTrue(created.out().matches("created user ann \\(id [A-Za-z0-9]{17}, memory limit 2048 MB, storage limit"
                + " 10240 MB\\)\n"), created.out());
        Cli.Result list = cli.run("users", "list");
        assertEquals(0, list.status(), list.toString());
        assertTrue(list.out().matches("(?s)ID +USERNAME +MEMORY LIMIT +IN USE +STORAGE LIMIT +STORED +CREATED\n"
                + "[A-Za-z0-9]{17} +ann +2048 MB +0 MB +10240 MB \\(default\\) +0 B +.*\n"
                + "[A-Za-z0-9]{17} +local +32768 MB \\(default\\) +0 MB +10240 MB \\(default\\) +0 B +.*"),
                list.out());
        Cli.Result updated = cli.run("users", "update", "ann", "--storage-limit-mb", "64");
        assertEquals(0, updated.status(), updated.toString());
        assertEquals("user ann: memory limit 2048 MB, storage limit 64 MB\n", updated.out());
        Cli.Result back = cli.run("users", "update", "ann", "--storage-limit-mb", "default");
        assertEquals("user ann: memory limit 2048 MB, storage limit 10240 MB\n", back.out(), back.toString());
        Cli.Result taken = cli.run("users", "create", "ann");
        assertEquals(ActordCli.ERROR, taken.status(), taken.toString());
        assertEquals("error: a user named 'ann' already exists\n", taken.err());
    }

    @Test
    void shouldPrintATokenOnceThatThenWorksOverTcpUntilRevoked() {
        cli.run("users", "create", "ann");
        Cli.Result created = cli.run("tokens", "create", "ann", "--name", "laptop");
        assertEquals(0, created.status(), created.toString());
        String token = created.out().strip();
        assertTrue(token.matches("apify_api_[A-Za-z0-9]{43}"), created.out());
        assertTrue(created.err().contains("it is not shown again"), created.err());

        Cli tcp = Cli.at(dir.resolve("unused.sock")).env("ACTORD_URL", "http://127.0.0.1:" + daemon.tcpPort())
                .env("APIFY_TOKEN", token);
        Cli.Result runs = tcp.run("runs", "list");
        assertEquals(0, runs.status(), runs.toString());

        Cli.Result listed = cli.run("tokens", "list", "ann");
        assertEquals(0, listed.status(), listed.toString());
        assertTrue(listed.out().matches("ID +NAME +TOKEN +CREATED\n[A-Za-z0-9]{17} +laptop +apify_api_\\w{4}… +.*\n"),
                listed.out());
        assertFalse(listed.out().contains(token), "never the token itself");
        String id = listed.out().lines().skip(1).findFirst().orElseThrow().split(" +")[0];

        Cli.Result revoked = cli.run("tokens", "revoke", "ann", id);
        assertEquals(0, revoked.status(), revoked.toString());
        assertEquals("revoked token " + id + " of ann\n", revoked.out());
        Cli.Result refused = tcp.run("runs", "list");
        assertEquals(ActordCli.ERROR, refused.status(), refused.toString());
        assertTrue(refused.err().startsWith("error: the daemon refused the request (invalid-token): "), refused.err());
        assertFalse(refused.err().contains(token));
    }

    @Test
    void shouldDeleteAUserWhoseTokensThenStopWorking() {
        cli.run("users", "create", "ann");
        String token = cli.run("tokens", "create", "ann").out().strip();
        Cli tcp = Cli.at(dir.resolve("unused.sock")).env("ACTORD_URL", "http://127.0.0.1:" + daemon.tcpPort())
                .env("APIFY_TOKEN", token);
        assertEquals(0, tcp.run("actors", "list").status());
        Cli.Result deleted = cli.run("users", "delete", "ann");
        assertEquals(0, deleted.status(), deleted.toString());
        assertEquals("deleted user ann\n", deleted.out());
        assertEquals(ActordCli.ERROR, tcp.run("actors", "list").status());
        Cli.Result gone = cli.run("tokens", "list", "ann");
        assertEquals(ActordCli.ERROR, gone.status(), gone.toString());
        assertEquals("error: User 'ann' was not found\n", gone.err());
    }

    @Test
    void shouldManageUsersOnlyOverTheAdminSocket() {
        Cli tcp = Cli.at(dir.resolve("unused.sock")).env("ACTORD_URL", "http://127.0.0.1:" + daemon.tcpPort())
                .env("APIFY_TOKEN", daemon.token());
        Cli.Result refused = tcp.run("users", "create", "eve");
        assertEquals(ActordCli.ERROR, refused.status(), refused.toString());
        assertTrue(refused.err().contains("insufficient-permissions"), refused.err());
        assertTrue(refused.err().contains("only over the daemon's admin Unix socket"), refused.err());
        assertEquals(2, cli.run("users", "list").out().lines().count(), "header and local: no eve");
    }
}
