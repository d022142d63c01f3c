package io.actord.runtime.network;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * nftables through the {@code nft} command (Debian's nftables package): a ruleset file on stdin, loaded
 * atomically, in the host's network namespace or — through util-linux's nsenter — in a container's.
 */
final class Nft {
    static final String BINARY = "nft";
    private static final long TIMEOUT_SECONDS = 30;

    private Nft() {
    }

    /** Loads {@code ruleset} ({@code nft -f -}) in the namespace of {@code netnsPid}'s, or the host's. */
    static void load(String ruleset, Optional<Long> netnsPid) {
        List<String> cmd = new ArrayList<>();
        netnsPid.ifPresent(pid -> cmd.addAll(List.of("nsenter", "--net=/proc/" + pid + "/ns/net", "--")));
        cmd.addAll(List.of(BINARY, "-f", "-"));
        run(cmd, ruleset, "load nft ruleset" + netnsPid.map(p -> " in the network namespace of pid " + p).orElse(""));
    }

    /** Runs {@code cmd} with {@code stdin}; returns stdout, throws with stderr on a non-zero exit. */
    static String run(List<String> cmd, String stdin, String what) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new NetworkException(what + ": " + cmd.get(0) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new NetworkException(what + ": " + String.join(" ", cmd) + " exited " + p.exitValue()
                        + (out.isEmpty() ? "" : ": " + out));
            }
            return out;
        } catch (IOException e) {
            throw new NetworkException(what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetworkException(what + ": interrupted", e);
        }
    }
}
