package io.actord.daemon.run;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.common.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * This daemon as the owner of runs, among the daemons that share one state database (two daemons on one
 * PostgreSQL database, #25; the first brick of #26, "Run rows carry their owner host"). Each daemon has a host id,
 * made once and kept in a file of its own state directory, not in the shared store: a restart keeps it, another
 * daemon never has it. A run records the host id of the daemon that makes its container ({@link Run#ownerHost}),
 * and only that daemon acts on it unasked: recovery at start, its timers and its pending webhook dispatches. Runs
 * stored before the field existed have none and belong to whichever daemon recovers them, as before. A store only
 * this daemon opens (RocksDB) holds no other daemon's runs: whatever host id a run names there (a state restored
 * from a backup into a new state directory gets a new host id), it is this daemon's.
 *
 * <p>In a cluster ({@code --cluster}, #26) an active run that names no owner and has no container is unplaced: it
 * waits for a host's placement to claim it (its host died or was drained, or it was never placed), and no daemon's
 * recovery takes it as one stored before runs had owners.
 *
 * @param hostId      this daemon's host id
 * @param sharedStore whether other daemons use the same store ({@code StateStore.shared()})
 * @param cluster     whether the daemon is a member of a cluster, where ownerless runs without a container are
 *                    placement's ({@link #unplaced})
 */
public record RunOwner(String hostId, boolean sharedStore, boolean cluster) {
    /** The file in the state directory that keeps the host id. */
    public static final String FILE = "host-id";
    /** What an operator may write there before the first start: a name that reads well in logs. */
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Logger LOG = LoggerFactory.getLogger(RunOwner.class);

    public RunOwner(String hostId, boolean sharedStore) {
        this(hostId, sharedStore, false);
    }

    public RunOwner {
        Objects.requireNonNull(hostId, "hostId");
        if (!VALID.matcher(hostId).matches()) {
            throw new IllegalArgumentException("host id '" + hostId + "' is not 1 to 64 letters, digits, '.', '_' or"
                    + " '-' starting with a letter or digit");
        }
    }

    /**
     * The host id kept in {@code stateDir}'s {@value #FILE}, made (random) and kept there at the first start.
     *
     * @throws IllegalStateException when the file holds no valid host id (an operator's typo: the daemon must not
     *                               start as someone else, nor lose its runs to a new id)
     */
    public static RunOwner load(Path stateDir, boolean sharedStore) {
        return load(stateDir, sharedStore, Optional.empty());
    }

    /**
     * As {@link #load(Path, boolean)}, with the host id the operator gave ({@code --host-id}): kept at the first
     * start instead of a random one, and checked against the kept one afterwards.
     *
     * @throws IllegalStateException also when {@code configured} is not the kept id: a daemon keeps its id, which its
     *                               runs and its cluster record name
     */
    public static RunOwner load(Path stateDir, boolean sharedStore, Optional<String> configured) {
        Path file = stateDir.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                Path partial = stateDir.resolve(FILE + ".partial");
                // a crash, a power loss included, leaves the partial file or the whole one, never a half-written id
                // that would stop every later start: the id is on disk before the rename, the rename before runs
                try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                    out.write(ByteBuffer.wrap((configured.orElseGet(Ids::newId) + "\n")
                            .getBytes(StandardCharsets.UTF_8)));
                    out.force(true);
                }
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
                try (FileChannel dir = FileChannel.open(stateDir, StandardOpenOption.READ)) {
                    dir.force(true);
                }
                LOG.info("host id made file={}", file);
            }
            String id = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (configured.isPresent() && !configured.get().equals(id)) {
                throw new IllegalStateException("the host id is '" + id + "' (" + file + "), not '" + configured.get()
                        + "' as --host-id says: a daemon keeps the id its runs name; give --host-id " + id
                        + " or none");
            }
            try {
                return new RunOwner(id, sharedStore);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("read the host id from " + file + ": " + e.getMessage(), e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("read or make the host id file " + file, e);
        }
    }

    /** This owner as a member of a cluster (see {@link #unplaced}). */
    public RunOwner inCluster() {
        return new RunOwner(hostId, sharedStore, true);
    }

    /**
     * Whether {@code run} waits for placement: in a cluster, active with no owner and no container (the contract
     * between placement and migration, #26). Such a run is nobody's to recover.
     */
    public boolean unplaced(Run run) {
        return cluster && UnplacedRunKey.isUnplaced(run);
    }

    /**
     * Whether this daemon acts of its own accord (recovers a run, retries a webhook dispatch) on a record that names
     * {@code ownerHost}: its own, one stored before records had owners (null), or any when the store is this
     * daemon's alone.
     */
    public boolean owns(String ownerHost) {
        return !sharedStore || ownerHost == null || ownerHost.equals(hostId);
    }

    /**
     * 400 run-state-conflict for a command (abort, reboot, metamorph, status message, charge, resurrection) on an
     * active run that another daemon supervises: only that daemon can change it (passing the command on is #26's).
     */
    void refuseIfElsewhere(Run run) {
        if (!run.status().isTerminal() && !owns(run.ownerHost())) {
            throw new ApiException(ErrorType.RUN_STATE_CONFLICT, "Run " + run.id() + " is " + run.status().wireName()
                    + " on another actord daemon of this database (host " + run.ownerHost()
                    + "), which alone can change it; send the request to that daemon");
        }
    }
}
