package io.actord.daemon.input;

import io.actord.daemon.actor.Build;
import io.actord.daemon.api.ApiException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variables a run of a build with secret input fields gets so that the SDK decrypts them: the private key
 * goes only to runs whose input may hold secrets, not to every run.
 */
public final class InputSecretsEnvironment {
    private InputSecretsEnvironment() {
    }

    /** {@code env} and, when {@code build}'s input schema has a secret field, the key's variables. */
    public static Map<String, String> of(Map<String, String> env, Build build, InputSecretKeys keys) {
        boolean secrets;
        try {
            secrets = RunInputSchemas.schemaOf(build).map(s -> !s.secretFields().isEmpty()).orElse(false);
        } catch (ApiException invalidSchema) {
            secrets = false;
        }
        if (!secrets) {
            return env;
        }
        Map<String, String> out = new LinkedHashMap<>(env);
        out.putAll(keys.environment());
        return out;
    }
}
