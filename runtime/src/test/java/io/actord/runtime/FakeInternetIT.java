package io.actord.runtime;

import io.actord.runtime.testing.FakeInternet;
import io.actord.runtime.testing.HostCommands;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link FakeInternet} from the host: HTTP and DNS answer on TEST-NET addresses, and close leaves nothing. */
@Tag("privileged")
class FakeInternetIT {
    @Test
    void shouldServeHttpAndDnsAndLeaveNothing(@TempDir Path site) throws IOException {
        List<String> paths = FakeInternet.writeSite(site, 3);
        assertEquals(List.of("/", "/page-1.html", "/page-2.html", "/page-3.html"), paths);
        String netns;
        String veth;
        List<Long> pids;
        String webRoute;
        try (FakeInternet fake = FakeInternet.start(site)) {
            netns = fake.netnsName();
            veth = fake.hostInterface();
            webRoute = fake.ranges().get(0).toString();
            String web = fake.webAddress().getHostAddress();
            assertTrue(web.startsWith("203.0.113."), web);
            assertTrue(fake.privateAddress().getHostAddress().startsWith("10."), fake.privateAddress().toString());

            String index = HostCommands.run("busybox", "wget", "-q", "-O", "-", "http://" + web + "/");
            assertTrue(index.contains("<title>" + FakeInternet.title(0) + "</title>"), index);
            String page = HostCommands.run("busybox", "wget", "-q", "-O", "-",
                    "http://" + fake.privateAddress().getHostAddress() + "/page-2.html");
            assertTrue(page.contains(FakeInternet.title(2)), page);

            assertEquals(fake.webAddress(), resolve(fake, "site.test"));
            assertEquals(fake.webAddress(), resolve(fake, "www.site.test"));
            String nslookup = HostCommands.run("busybox", "nslookup", "site.test",
                    fake.dnsAddress().getAddress().getHostAddress());
            assertTrue(nslookup.contains(web), nslookup);
            HostCommands.Result elsewhere = HostCommands.attempt("busybox", "nslookup", "elsewhere.test",
                    fake.dnsAddress().getAddress().getHostAddress());
            assertTrue(elsewhere.output().contains("NXDOMAIN"), elsewhere.output());

            String route = HostCommands.run("ip", "route", "get", web);
            assertTrue(route.contains("dev " + veth), "the host routes the fake site into the namespace only: " + route);
            pids = Arrays.stream(HostCommands.run("ip", "netns", "pids", netns).strip().split("\\s+"))
                    .map(Long::parseLong).toList();
            assertEquals(2, pids.size(), "httpd and dnsmasq: " + pids);
        }
        assertFalse(HostCommands.run("ip", "netns", "list").contains(netns));
        assertFalse(HostCommands.run("ip", "link").contains(veth));
        assertFalse(HostCommands.run("ip", "route").contains(webRoute));
        for (long pid : pids) {
            assertTrue(ProcessHandle.of(pid).isEmpty(), "server pid " + pid + " was killed");
        }
    }

    @Test
    void shouldWriteAnIncompressibleFileOfTheSize(@TempDir Path dir) throws IOException {
        Path file = FakeInternet.writeFile(dir, "10mb.bin", 10_000_000);
        assertEquals(10_000_000, Files.size(file));
        assertEquals(Files.readAllBytes(file).length, Files.readAllBytes(FakeInternet.writeFile(dir, "again.bin", 10_000_000)).length);
    }

    /** One A query over UDP, with a hand-made message (dig is not installed). */
    private static InetAddress resolve(FakeInternet fake, String name) throws IOException {
        ByteBuffer query = ByteBuffer.allocate(512);
        query.putShort((short) 0x4242).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0);
        for (String label : name.split("\\.")) {
            query.put((byte) label.length()).put(label.getBytes(StandardCharsets.US_ASCII));
        }
        query.put((byte) 0).putShort((short) 1).putShort((short) 1);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(5_000);
            socket.send(new DatagramPacket(query.array(), query.position(), fake.dnsAddress()));
            DatagramPacket answer = new DatagramPacket(new byte[512], 512);
            socket.receive(answer);
            byte[] bytes = Arrays.copyOf(answer.getData(), answer.getLength());
            assertEquals(1, ((bytes[6] & 0xff) << 8) | (bytes[7] & 0xff), "one answer for " + name);
            // The answer's A data are the last 4 bytes of a message with one question and one A record.
            return InetAddress.getByAddress(Arrays.copyOfRange(bytes, bytes.length - 4, bytes.length));
        }
    }
}
