package io.actord.daemon.proxy;

import io.actord.daemon.run.ContainerUrls;
import io.actord.daemon.testing.HttpConnection;

import java.io.IOException;
import java.util.Random;

/** Guessing container URLs: random well-formed tokens, in turn in the host form and the path form. */
final class Guesses {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private Guesses() {
    }

    /**
     * Sends {@code n} guesses over one connection and counts the answers that are the proxy's 404 page.
     *
     * @param domainHost the containers domain and the listener's port ({@code containers.test:7070})
     * @param apiHost    the listener's own host and port, for the path form
     */
    static int notFound(HttpConnection c, String domainHost, String apiHost, int n, long seed) throws IOException {
        Random random = new Random(seed);
        int notFound = 0;
        for (int i = 0; i < n; i++) {
            StringBuilder guess = new StringBuilder();
            for (int j = 0; j < ContainerUrls.TOKEN_LENGTH; j++) {
                guess.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            HttpConnection.Response r = i % 2 == 0 ? c.get(guess + "." + domainHost, "/")
                    : c.get(apiHost, "/containers/" + guess + "/");
            if (r.status() == 404 && r.text().startsWith(ProxyPages.NOT_FOUND)) {
                notFound++;
            }
        }
        return notFound;
    }
}
