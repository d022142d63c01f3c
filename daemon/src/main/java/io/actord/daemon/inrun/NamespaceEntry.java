package io.actord.daemon.inrun;

import io.actord.runtime.NetworkNamespaces;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs a short action so that the sockets it creates belong to a container's network namespace: a socket
 * belongs to the namespace of the thread that created it, and stays there whatever thread uses it after
 * (kernel-notes.md). Implementations must leave the calling thread's namespaces unchanged.
 */
public interface NamespaceEntry {
    /** Runs the action in the daemon's own namespace: for runtimes whose containers share it (and tests). */
    NamespaceEntry SAME = new NamespaceEntry() {
        @Override
        public <T> T call(Path netns, Supplier<T> action) {
            return action.get();
        }

        @Override
        public <T> CompletableFuture<T> callAsync(Path netns, Supplier<T> action) {
            try {
                return CompletableFuture.completedFuture(action.get());
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public boolean separate() {
            return false;
        }
    };

    /** Enters each container's own namespace with the runtime's {@link NetworkNamespaces} (setns on a throw-away thread). */
    static NamespaceEntry of(NetworkNamespaces namespaces) {
        return new NamespaceEntry() {
            @Override
            public <T> T call(Path netns, Supplier<T> action) {
                return namespaces.call(netns, action);
            }

            @Override
            public <T> CompletableFuture<T> callAsync(Path netns, Supplier<T> action) {
                return namespaces.callAsync(netns, action);
            }

            @Override
            public boolean separate() {
                return true;
            }
        };
    }

    /** Runs {@code action} in the network namespace {@code netns} (a /proc/PID/ns/net path) and returns its result. */
    <T> T call(Path netns, Supplier<T> action);

    /**
     * As {@link #call}, without blocking the caller (an event loop): the future completes on a thread in the
     * daemon's own namespace.
     */
    <T> CompletableFuture<T> callAsync(Path netns, Supplier<T> action);

    /** Whether containers get their own namespace (then the endpoint has a fixed port there). */
    boolean separate();
}
