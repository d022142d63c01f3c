package io.actord.daemon.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actord.daemon.common.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PayloadTemplateTest {
    private static ObjectNode vars() {
        ObjectNode vars = Json.MAPPER.createObjectNode();
        vars.put("userId", "u1");
        vars.put("eventType", "ACTOR.RUN.SUCCEEDED");
        vars.put("createdAt", "2026-01-01T00:00:00.000Z");
        vars.putObject("eventData").put("actorId", "a1").put("actorRunId", "r1");
        vars.putObject("resource").put("id", "r1").put("status", "SUCCEEDED").put("exitCode", 0);
        return vars;
    }

    @Test
    void shouldRenderTheDefaultTemplateAsJson() throws Exception {
        JsonNode p = Json.MAPPER.readTree(PayloadTemplate.render(PayloadTemplate.DEFAULT, vars(), false));
        assertEquals("u1", p.get("userId").asText());
        assertEquals("ACTOR.RUN.SUCCEEDED", p.get("eventType").asText());
        assertEquals("2026-01-01T00:00:00.000Z", p.get("createdAt").asText());
        assertEquals("a1", p.get("eventData").get("actorId").asText());
        assertEquals("r1", p.get("eventData").get("actorRunId").asText());
        assertEquals("SUCCEEDED", p.get("resource").get("status").asText());
    }

    @Test
    void shouldPutInFieldsAndNullForUnknownVariables() {
        assertEquals("{\"run\": \"r1\", \"code\": 0, \"x\": null, \"data\": {\"actorId\":\"a1\",\"actorRunId\":\"r1\"}}",
                PayloadTemplate.render("{\"run\": {{resource.id}}, \"code\": {{ resource.exitCode }}, \"x\": {{nope}},"
                        + " \"data\": {{eventData}}}", vars(), false));
    }

    @Test
    void shouldLeaveStringsAloneUnlessInterpolatingThem() {
        String template = "{\"whole\": \"{{resource}}\", \"text\": \"run {{resource.id}} is {{resource.exitCode}}\","
                + " \"esc\": \"a\\\"{{userId}}\"}";
        assertEquals(template, PayloadTemplate.render(template, vars(), false));
        assertEquals("{\"whole\": {\"id\":\"r1\",\"status\":\"SUCCEEDED\",\"exitCode\":0}, \"text\": \"run r1 is 0\","
                + " \"esc\": \"a\\\"u1\"}", PayloadTemplate.render(template, vars(), true));
    }

    @Test
    void shouldSendWhatAnInvalidTemplateMakesAsItIs() {
        assertEquals("not json \"r1\" {", PayloadTemplate.render("not json {{resource.id}} {", vars(), false));
    }
}
