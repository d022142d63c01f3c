package io.actord.cli.commands;

import io.actord.cli.ActordCli;
import io.actord.cli.testing.AgainstDaemon;
import io.actord.cli.testing.Cli;
import io.actord.daemon.common.Json;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** login stores a token per URL in a 0600 file that later commands use; logout forgets it. */
class LoginCommandTest extends AgainstDaemon {
    private Path config() {
        return dir.resolve("xdg/actord/config.json");
    }

    /** A CLI with no socket, no URL and no token of its own: only what login stored. */
    private Cli bare() {
        return Cli.at(dir.resolve("unused.sock")).env("ACTORD_SOCKET", "").env("XDG_CONFIG_HOME",
                dir.resolve("xdg").toString());
    }

    private String url() {
        return "http://127.0.0.1:" + daemon.tcpPort();
    }

    @Test
    void shouldStoreTheTokenInAPrivateFileAndUseItAfterwards() throws Exception {
        daemon.actor("hello", "echo", "hi");
        Cli.Result refused = bare().env("ACTORD_URL", url()).run("actors", "list", "-q");
        assertEquals(ActordCli.ERROR, refused.status(), "no token yet: " + refused);

        Cli.Result login = bare().stdin(daemon.token() + "\n").run("login", url(), "--token-stdin");
        assertEquals(0, login.status(), login.toString());
        assertTrue(login.err().startsWith("logged in to " + url() + " as "), login.err());
        assertFalse(login.out().contains(daemon.token()) || login.err().contains(daemon.token()), "the token is not shown");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config().getParent())));
        assertEquals(daemon.token(), Json.MAPPER.readTree(config().toFile()).get("logins").get(url()).get("token")
                .asText());

        Cli.Result withUrl = bare().env("ACTORD_URL", url()).run("actors", "list", "-o", "name");
        assertEquals(0, withUrl.status(), withUrl.toString());
        assertEquals("hello\n", withUrl.out(), "the stored token was sent");
        Cli.Result byDefault = bare().run("actors", "list", "-o", "name");
        assertEquals("hello\n", byDefault.out(), "the daemon logged in to is the default: " + byDefault);
        Cli.Result flag = bare().run("actors", "list", "--token", "not-the-token");
        assertEquals(ActordCli.ERROR, flag.status(), "--token wins over the stored one: " + flag);

        Cli.Result logout = bare().run("logout");
        assertEquals(0, logout.status(), logout.toString());
        assertFalse(Files.readString(config()).contains(daemon.token()), "the token is gone from the file");
        assertEquals(ActordCli.ERROR, bare().env("ACTORD_URL", url()).run("actors", "list").status());
        assertEquals(ActordCli.ERROR, bare().run("logout").status(), "nothing left to log out of");
    }

    @Test
    void shouldRefuseATokenTheDaemonRefusesAndStoreNothing() {
        Cli.Result wrong = bare().stdin("apify_api_wrong\n").run("login", url(), "--token-stdin");
        assertEquals(ActordCli.ERROR, wrong.status(), wrong.toString());
        assertTrue(wrong.err().startsWith("error: the daemon refused the request"), wrong.err());
        assertFalse(Files.exists(config()), "nothing stored");
        Cli.Result empty = bare().stdin("\n").run("login", url(), "--token-stdin");
        assertEquals(ActordCli.ERROR, empty.status(), empty.toString());
        Cli.Result noTerminal = bare().run("login", url());
        assertEquals(ActordCli.ERROR, noTerminal.status(), noTerminal.toString());
        assertTrue(noTerminal.err().contains("--token-stdin"), noTerminal.err());
    }
}
