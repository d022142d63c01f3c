package io.actord.daemon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx as the proxy benchmark's peer: the reverse proxy a user would put in front of a run's server
 * themselves, started inside the run's network namespace ({@code nsenter --net}) on a loopback port there and
 * relaying to the server on the same namespace's loopback, tuned as nginx's documentation recommends for
 * proxying: kept-alive upstream connections ({@code keepalive}, HTTP/1.1, an empty Connection header), one
 * worker per daemon event loop, no access log, the X-Forwarded-For/-Proto/-Host headers actord sets, and
 * buffering that relays a large body through a few in-memory buffers without spilling to a temp file (so it
 * streams with bounded memory, as actord does). Everything it writes is in its own temp dir, removed on
 * {@link #close()} with the processes, which are ended by pid.
 */
final class NginxRelay implements AutoCloseable {
    private final Process master;
    private final Path dir;

    private NginxRelay(Process master, Path dir) {
        this.master = master;
        this.dir = dir;
    }

    /** The config for a relay on 127.0.0.1:{@code port} to 127.0.0.1:{@code upstreamPort}, files in {@code dir}. */
    static String config(Path dir, int port, int upstreamPort, int workers) {
        return """
                daemon off;
                master_process on;
                worker_processes %3$d;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events {
                    worker_connections 4096;
                }
                http {
                    access_log off;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    keepalive_requests 1000000;
                    keepalive_timeout 75s;
                    upstream run {
                        server 127.0.0.1:%5$d;
                        keepalive 64;
                        keepalive_requests 1000000;
                    }
                    server {
                        listen 127.0.0.1:%4$d;
                        location / {
                            proxy_pass http://run;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_set_header Host $http_host;
                            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                            proxy_set_header X-Forwarded-Proto $scheme;
                            proxy_set_header X-Forwarded-Host $http_host;
                            proxy_buffering on;
                            proxy_buffer_size 16k;
                            proxy_buffers 8 64k;
                            proxy_busy_buffers_size 128k;
                            proxy_max_temp_file_size 0;
                        }
                    }
                }
                """.formatted(dir, null, workers, port, upstreamPort);
    }

    /** Starts nginx in the network namespace of process {@code pid}; returns once it listens. */
    static NginxRelay start(long pid, int port, int upstreamPort, int workers) throws IOException,
            InterruptedException {
        Path dir = Files.createTempDirectory("actord-proxy-bench-nginx");
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, config(dir, port, upstreamPort, workers));
        Process master = new ProcessBuilder("nsenter", "--net=/proc/" + pid + "/ns/net", "nginx", "-p",
                dir.toString(), "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        NginxRelay relay = new NginxRelay(master, dir);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        // nginx writes its pid file once its listening socket is bound.
        while (!Files.exists(dir.resolve("nginx.pid"))) {
            if (!master.isAlive() || System.nanoTime() > deadline) {
                String log = Files.readString(dir.resolve("stdout.log")) + Files.readString(dir.resolve("error.log"));
                relay.close();
                throw new IllegalStateException("nginx did not start:\n" + log);
            }
            Thread.sleep(20);
        }
        return relay;
    }

    Path configFile() {
        return dir.resolve("nginx.conf");
    }

    /** The CPU ticks of nginx's worker processes so far. */
    CpuTicks workerTicks() throws IOException {
        return CpuTicks.ofProcesses(master.descendants().map(ProcessHandle::pid).toList());
    }

    /** Ends nginx (master, then any worker left) by pid and removes its temp dir. */
    @Override
    public void close() throws IOException, InterruptedException {
        List<ProcessHandle> workers = master.descendants().toList();
        master.destroy();
        if (!master.waitFor(10, TimeUnit.SECONDS)) {
            master.destroyForcibly().waitFor();
        }
        for (ProcessHandle w : workers) {
            w.destroyForcibly();
            w.onExit().join();
        }
        new ProcessBuilder("rm", "-rf", "--one-file-system", dir.toString()).inheritIO().start().waitFor();
    }
}
