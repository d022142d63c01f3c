package io.actord.daemon.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.common.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A scrape as a real Prometheus parser reads it: the Prometheus Python client's {@code text_string_to_metric_families}
 * (Debian's python3-prometheus-client, which bin/test installs), run on the text; a text it cannot parse fails the
 * test.
 */
final class PrometheusText {
    /** Debian's interpreter, which sees Debian's packages (a python3 earlier on PATH, pyenv's, may not). */
    private static final String PYTHON = "/usr/bin/python3";

    /** One sample, with the family (and its type) the parser put it in. */
    record Sample(String family, String type, String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = samples;
    }

    static PrometheusText parse(String text) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PYTHON, script().toString()).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError("the Prometheus parser refused the scrape (python3-prometheus-client must be"
                    + " installed: bin/test installs it):\n" + err + "\n--- scrape ---\n" + text);
        }
        List<Sample> samples = new ArrayList<>();
        for (JsonNode family : Json.MAPPER.readTree(out)) {
            for (JsonNode s : family.get("samples")) {
                Map<String, String> labels = new HashMap<>();
                s.get("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
                JsonNode v = s.get("value");
                samples.add(new Sample(family.get("name").asText(), family.get("type").asText(), s.get("name").asText(),
                        labels, v.isNumber() ? v.asDouble() : Double.parseDouble(v.asText().replace("inf", "Infinity"))));
            }
        }
        return new PrometheusText(samples);
    }

    private static Path script() {
        try {
            return Path.of(Objects.requireNonNull(PrometheusText.class.getResource("parse_prometheus.py")).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    List<Sample> samples() {
        return samples;
    }

    /** The family's type as the parser read it ({@code counter}, {@code histogram}, …), or null when absent. */
    String type(String family) {
        return samples.stream().filter(s -> s.family().equals(family)).map(Sample::type).findFirst().orElse(null);
    }

    /** The sum of the samples named {@code name} whose labels include {@code labels}; 0 when there are none. */
    double sum(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name)
                        && s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value).sum();
    }

    double sum(String name) {
        return sum(name, Map.of());
    }

    /** Whether a sample named {@code name} is there at all. */
    boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }
}
