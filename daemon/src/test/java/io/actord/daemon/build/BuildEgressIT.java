package io.actord.daemon.build;

import io.actord.daemon.build.BuildFailedException.Cause;
import io.actord.daemon.http.Transports;
import io.actord.daemon.inrun.NamespaceEntry;
import io.actord.daemon.network.RunDns;
import io.actord.daemon.runoptions.RunNetwork;
import io.actord.daemon.runoptions.RunSize;
import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.RootfsCopies;
import io.actord.daemon.testing.TestNetworks;
import io.actord.runtime.LayerFiles;
import io.actord.runtime.LinuxContainerRuntime;
import io.actord.runtime.network.EgressNetwork;
import io.actord.runtime.testing.FakeInternet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * RUN steps on the runs' network: an egress step resolves a name through the resolver runs get (the daemon's
 * forwarder in its namespace, here to the test's fake internet) and fetches from it; an isolated step reaches
 * nothing.
 */
@Tag("privileged")
class BuildEgressIT {
    private static final String FETCH = "FROM resolving:1\nRUN wget -q -O /page.html http://site.test/ && cat /page.html\n";

    @TempDir
    static Path dir;

    private static FakeInternet internet;
    private static String subtree;
    private static LinuxContainerRuntime runtime;
    private static RunDns dns;
    private static BuilderFixture fx;
    private static Path rootfs;

    @BeforeAll
    static void open() throws IOException {
        assumeTrue(ItRuntime.unavailableReason().isEmpty(), ItRuntime.unavailableReason().orElse(""));
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("index.html"), "welcome to site.test\n");
        internet = FakeInternet.start(site);
        subtree = ItRuntime.subtree();
        runtime = TestNetworks.runtime(dir.resolve("rt"), subtree, TestNetworks.egressFlags(internet.ranges(),
                internet.dnsAddress(), List.of()));
        dns = new RunDns(NamespaceEntry.of(runtime.networkNamespaces().orElseThrow()),
                Transports.detect().newGroup(1, "build-dns"), List.of(internet.dnsAddress()));
        fx = new BuilderFixture(dir.resolve("builder"), runtime, LayerFiles.kernel(), dns::serve);
        rootfs = RootfsCopies.resolving(dir.resolve("rootfs"));
        fx.name("resolving:1", rootfs);
    }

    @AfterAll
    static void close() {
        if (dns != null) {
            dns.close();
        }
        if (fx != null) {
            fx.close();
        }
        if (runtime != null) {
            runtime.network().ifPresent(EgressNetwork::removeHost); // the bridge and the NAT table
            runtime.close();
            ItRuntime.releaseSubtree(subtree);
        }
        if (internet != null) {
            internet.close();
        }
    }

    private BuildRequest request(String id, Path ctx, RunNetwork network) {
        return new BuildRequest(id, ctx, "Dockerfile", Map.of(), false, new RunSize(128), network);
    }

    @Test
    void shouldResolveAndFetchFromAnEgressStep() throws IOException {
        Path ctx = fx.context("egress", "Dockerfile", FETCH);

        BuiltImage image = fx.builder.build(request("egressbuild", ctx, RunNetwork.EGRESS), fx.log,
                new BuildControl());

        assertTrue(fx.log.output().contains("welcome to site.test"), fx.log.toString());
        LayerStack files = fx.stack(image.layers());
        assertEquals("welcome to site.test\n", BuilderFixture.read(files.find("page.html")));
        assertEquals(Files.exists(rootfs.resolve("etc/resolv.conf")), files.find("etc/resolv.conf").isPresent(),
                "the step's resolv.conf bind target is not in its layer");
        assertEquals(Set.of(), runtime.containerIds());
    }

    @Test
    void shouldReachNothingFromAnIsolatedStep() throws IOException {
        Path ctx = fx.context("isolated", "Dockerfile", FETCH);

        BuildFailedException e = assertThrows(BuildFailedException.class, () -> fx.builder.build(
                request("isolatedbuild", ctx, RunNetwork.ISOLATED), fx.log, new BuildControl()));

        assertEquals(Cause.STEP_FAILED, e.failure(), e.getMessage());
    }
}
