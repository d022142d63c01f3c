package io.actord.daemon;

import io.actord.cgroups.Cgroups;

/** The daemon's entry point. */
public final class ActorDaemon {
    private ActorDaemon() {
    }

    public static void main(String[] args) {
        System.out.println("actord " + version() + ": " + Cgroups.class.getSimpleName() + " ready; the service itself"
                + " arrives with the Daemon core issue");
    }

    static String version() {
        String v = ActorDaemon.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
