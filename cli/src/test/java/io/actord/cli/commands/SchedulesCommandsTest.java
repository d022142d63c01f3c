package io.actord.cli.commands;

import io.actord.cli.ActordCli;
import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.testing.AgainstDaemon;
import io.actord.cli.testing.Cli;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** schedules create|list|get|delete against a real daemon (in-process, fake runtime). */
class SchedulesCommandsTest extends AgainstDaemon {
    @Test
    void shouldCreateListShowAndDeleteASchedule() throws Exception {
        daemon.actor("hello", "echo", "hi");
        Cli.Result created = cli.run("schedules", "create", "--cron", "0 9 * * *", "--timezone", "Europe/Prague",
                "--actor", "hello", "--name", "mornings", "--input", "{\"a\":1}", "--exclusive");
        assertEquals(0, created.status(), created.toString());
        assertTrue(created.out().matches("created schedule [A-Za-z0-9]{17}, next run \\S+Z\n"), created.out());
        String id = created.out().split(" ")[2].replace(",", "");
        JsonNode s = daemon.api().get("/v2/schedules/" + id).expect(200).data();
        assertTrue(s.get("isExclusive").asBoolean());
        assertEquals("{\"a\":1}", s.get("actions").get(0).get("runInput").get("body").asText());

        Cli.Result list = cli.run("schedules", "list");
        assertEquals(0, list.status(), list.toString());
        assertTrue(list.out().startsWith("ID "), list.out());
        assertTrue(list.out().contains("mornings") && list.out().contains("Europe/Prague"), list.out());

        Cli.Result get = cli.run("schedules", "get", id);
        assertEquals(0, get.status(), get.toString());
        assertTrue(get.out().contains("Cron:") && get.out().contains("0 9 * * *"), get.out());
        assertTrue(get.out().contains("Exclusive:") && get.out().contains("actor "), get.out());

        Cli.Result deleted = cli.run("schedules", "delete", id);
        assertEquals("deleted schedule " + id + "\n", deleted.out());
        assertEquals(ActordCli.ERROR, cli.run("schedules", "get", id).status());
    }

    @Test
    void shouldSayWhatIsWrongWithACronExpression() {
        Cli.Result r = cli.run("schedules", "create", "--cron", "every day", "--actor", "hello");
        assertEquals(ActordCli.ERROR, r.status(), r.toString());
        assertTrue(r.err().startsWith("error: cronExpression 'every day' is not a cron expression"), r.err());
    }
}
