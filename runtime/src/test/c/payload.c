/*
 * payload: the probe program inside actord's test rootfs (after crun's tests/init.c). One static binary,
 * one subcommand per behaviour a test needs; it prints what it saw, and tests assert on that output and
 * on the exit status. See README.md next to this file.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *errname(int err)
{
    const char *name = strerrorname_np(err);
    return name ? name : "E?";
}

static double now(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double) ts.tv_sec + ts.tv_nsec / 1e9;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fflush(stdout);
}

static int cmd_sleep(double seconds)
{
    struct timespec ts = { (time_t) seconds, (long) ((seconds - (time_t) seconds) * 1e9) };
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
    }
    return 0;
}

/* Touches MB megabytes, one at a time, so the OOM killer finds us mid-way. */
static int cmd_memhog(long mb)
{
    for (long i = 1; i <= mb; i++) {
        char *chunk = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (chunk == MAP_FAILED) {
            say("memhog: mmap failed after %ld MB: %s\n", i - 1, errname(errno));
            return 1;
        }
        memset(chunk, 0x5a, 1 << 20);
        if (i % 16 == 0) {
            say("memhog: %ld MB\n", i);
        }
    }
    say("memhog: allocated %ld MB\n", mb);
    return 0;
}

/* Forks children that wait forever until fork fails, then reports how far it got. */
static int cmd_forkbomb(void)
{
    for (long n = 0;; n++) {
        pid_t pid = fork();
        if (pid < 0) {
            say("forkbomb: fork failed after %ld children: %s\n", n, errname(errno));
            return 0;
        }
        if (pid == 0) {
            for (;;) {
                pause();
            }
        }
    }
}

static int cmd_cpuburn(double seconds)
{
    double start = now(CLOCK_MONOTONIC);
    double cpu0 = now(CLOCK_PROCESS_CPUTIME_ID);
    volatile uint64_t x = 0;
    while (now(CLOCK_MONOTONIC) - start < seconds) {
        for (int i = 0; i < 100000; i++) {
            x += (uint64_t) i;
        }
    }
    say("cpuburn: wall %.3f cpu %.3f\n", now(CLOCK_MONOTONIC) - start, now(CLOCK_PROCESS_CPUTIME_ID) - cpu0);
    return 0;
}

static int count_zombies(void)
{
    DIR *proc = opendir("/proc");
    if (proc == NULL) {
        return -1;
    }
    int zombies = 0;
    struct dirent *e;
    while ((e = readdir(proc)) != NULL) {
        if (!isdigit((unsigned char) e->d_name[0])) {
            continue;
        }
        char path[300], buf[512];
        snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
        FILE *f = fopen(path, "r");
        if (f == NULL) {
            continue;
        }
        size_t n = fread(buf, 1, sizeof(buf) - 1, f);
        fclose(f);
        buf[n] = 0;
        char *paren = strrchr(buf, ')');
        if (paren != NULL && paren[1] == ' ' && paren[2] == 'Z') {
            zombies++;
        }
    }
    closedir(proc);
    return zombies;
}

/* N grandchildren exit while their parent is already gone: PID 1 inherits and must reap them. */
static int cmd_zombies(int n)
{
    pid_t middle = fork();
    if (middle == 0) {
        for (int i = 0; i < n; i++) {
            if (fork() == 0) {
                cmd_sleep(0.05);
                _exit(0);
            }
        }
        _exit(0);
    }
    waitpid(middle, NULL, 0);
    int zombies = 0;
    for (int tries = 0; tries < 100; tries++) {
        cmd_sleep(0.05);
        zombies = count_zombies();
        if (zombies == 0 && tries >= 4) {
            break;
        }
    }
    say("zombies: %d\n", zombies);
    return 0;
}

static volatile sig_atomic_t got_term;

static void on_term(int sig)
{
    (void) sig;
    got_term = 1;
}

static int cmd_trap_term(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_term;
    sigaction(SIGTERM, &sa, NULL);
    say("ready\n");
    while (!got_term) {
        pause();
    }
    say("got SIGTERM\n");
    return 0;
}

/* Writes MB megabytes to a file; reports ENOSPC/EDQUOT from write, fsync or close. */
static int cmd_write(long mb, const char *path)
{
    static char chunk[1 << 20];
    memset(chunk, 'w', sizeof(chunk));
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        say("write: open %s: %s\n", path, errname(errno));
        return 1;
    }
    for (long i = 0; i < mb; i++) {
        size_t done = 0;
        while (done < sizeof(chunk)) {
            ssize_t w = write(fd, chunk + done, sizeof(chunk) - done);
            if (w < 0) {
                say("write: %s after %ld MB\n", errname(errno), i);
                return 1;
            }
            done += (size_t) w;
        }
    }
    if (fsync(fd) < 0 || close(fd) < 0) {
        say("write: %s after %ld MB (flush)\n", errname(errno), mb);
        return 1;
    }
    say("write: wrote %ld MB\n", mb);
    return 0;
}

static int cmd_print_status(void)
{
    static const char *fields[] = { "Name:", "NSpid:", "Uid:", "Gid:", "Groups:", "CapInh:", "CapPrm:",
                                    "CapEff:", "CapBnd:", "CapAmb:", "NoNewPrivs:", "Seccomp:" };
    FILE *f = fopen("/proc/self/status", "r");
    if (f == NULL) {
        say("print-status: open /proc/self/status: %s\n", errname(errno));
        return 1;
    }
    char line[256];
    while (fgets(line, sizeof(line), f) != NULL) {
        for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
            if (strncmp(line, fields[i], strlen(fields[i])) == 0) {
                fputs(line, stdout);
            }
        }
    }
    fclose(f);
    fflush(stdout);
    return 0;
}

static void report(const char *what, long rc)
{
    say("%s: %s\n", what, rc < 0 ? errname(errno) : "ok");
}

/* Each privileged operation a container must not be able to do, and what the kernel said. */
static int cmd_try_privileged(void)
{
    report("mount", mount("tmpfs", "/tmp", "tmpfs", 0, NULL));
    report("umount", umount2("/proc", MNT_DETACH));
    report("sethostname", sethostname("evil", 4));
    report("unshare-user", unshare(CLONE_NEWUSER));
    report("unshare-net", unshare(CLONE_NEWNET));
    report("clone-newuser", syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0));
    report("ptrace", ptrace(PTRACE_TRACEME, 0, 0, 0));
    report("keyctl", syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3, 0));
    report("bpf", syscall(SYS_bpf, 0, 0, 0));
    report("perf_event_open", syscall(SYS_perf_event_open, 0, 0, -1, -1, 0));
    report("userfaultfd", syscall(SYS_userfaultfd, 0));
    report("kexec_load", syscall(SYS_kexec_load, 0, 0, 0, 0));
    report("init_module", syscall(SYS_init_module, 0, 0, ""));
    report("swapoff", syscall(SYS_swapoff, "/nonexistent"));
    report("open_tree", syscall(SYS_open_tree, -100, "/", 0));
    report("fsopen", syscall(SYS_fsopen, "tmpfs", 0));
    /* CAP_MKNOD is in the default set; every writable mount is nodev, so the node is useless. */
    unlink("/tmp/payload-sda");
    long rc = mknod("/tmp/payload-sda", S_IFBLK | 0600, makedev(8, 0));
    report("mknod", rc);
    if (rc == 0) {
        report("open-device", open("/tmp/payload-sda", O_RDONLY));
    }
    return 0;
}

/*
 * Each argument NR[:ARG0] is one raw syscall NR, ARG0 (default 0) and zeros for its other arguments: the
 * seccomp filter's answers to numbers it does not know, to denied calls and to argument checks.
 */
static int cmd_syscalls(int n, char **calls)
{
    for (int i = 0; i < n; i++) {
        char *end;
        long nr = strtol(calls[i], &end, 0);
        unsigned long arg0 = *end == ':' ? strtoul(end + 1, NULL, 0) : 0;
        report(calls[i], syscall(nr, arg0, 0, 0, 0, 0, 0));
    }
    return 0;
}

/* ---- serve-http: HTTP/1.1 keep-alive, GET /bytes/N, /sleep/MS, and a WebSocket echo on /ws ---- */

static int send_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        p += n;
        len -= (size_t) n;
    }
    return 0;
}

static int recv_all(int fd, void *buf, size_t len)
{
    char *p = buf;
    while (len > 0) {
        ssize_t n = recv(fd, p, len, 0);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) {
                continue;
            }
            return -1;
        }
        p += n;
        len -= (size_t) n;
    }
    return 0;
}

static uint32_t rol(uint32_t x, int n)
{
    return (x << n) | (x >> (32 - n));
}

/* SHA-1 (FIPS 180-4), only for the WebSocket handshake. */
static void sha1(const unsigned char *msg, size_t len, unsigned char out[20])
{
    uint32_t h[5] = { 0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0 };
    size_t total = ((len + 8) / 64 + 1) * 64;
    unsigned char *buf = calloc(1, total);
    memcpy(buf, msg, len);
    buf[len] = 0x80;
    uint64_t bits = (uint64_t) len * 8;
    for (int i = 0; i < 8; i++) {
        buf[total - 1 - i] = (unsigned char) (bits >> (8 * i));
    }
    for (size_t off = 0; off < total; off += 64) {
        uint32_t w[80];
        for (int i = 0; i < 16; i++) {
            const unsigned char *p = buf + off + 4 * i;
            w[i] = (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3];
        }
        for (int i = 16; i < 80; i++) {
            w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        }
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
        for (int i = 0; i < 80; i++) {
            uint32_t f, k;
            if (i < 20) {
                f = (b & c) | (~b & d), k = 0x5A827999;
            } else if (i < 40) {
                f = b ^ c ^ d, k = 0x6ED9EBA1;
            } else if (i < 60) {
                f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDC;
            } else {
                f = b ^ c ^ d, k = 0xCA62C1D6;
            }
            uint32_t t = rol(a, 5) + f + e + k + w[i];
            e = d, d = c, c = rol(b, 30), b = a, a = t;
        }
        h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
    }
    free(buf);
    for (int i = 0; i < 20; i++) {
        out[i] = (unsigned char) (h[i / 4] >> (24 - 8 * (i % 4)));
    }
}

static void base64(const unsigned char *in, size_t len, char *out)
{
    static const char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t) in[i] << 16 | (i + 1 < len ? (uint32_t) in[i + 1] << 8 : 0)
                | (i + 2 < len ? in[i + 2] : 0);
        out[o++] = table[(v >> 18) & 63];
        out[o++] = table[(v >> 12) & 63];
        out[o++] = i + 1 < len ? table[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < len ? table[v & 63] : '=';
    }
    out[o] = 0;
}

/* The value of a request header (case-insensitive name), copied into out; 0 when absent. */
static int header(const char *head, const char *name, char *out, size_t size)
{
    size_t n = strlen(name);
    for (const char *line = strstr(head, "\r\n"); line != NULL; line = strstr(line + 2, "\r\n")) {
        const char *p = line + 2;
        if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
            p += n + 1;
            while (*p == ' ') {
                p++;
            }
            size_t len = strcspn(p, "\r\n");
            if (len >= size) {
                len = size - 1;
            }
            memcpy(out, p, len);
            out[len] = 0;
            return 1;
        }
    }
    return 0;
}

static void websocket_echo(int fd, const char *key)
{
    char accept_src[320], accept[64], response[256];
    unsigned char digest[20];
    snprintf(accept_src, sizeof(accept_src), "%s258EAFA5-E914-47DA-95CA-C5AB0DC85B11", key);
    sha1((const unsigned char *) accept_src, strlen(accept_src), digest);
    base64(digest, sizeof(digest), accept);
    int n = snprintf(response, sizeof(response), "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n", accept);
    if (send_all(fd, response, (size_t) n) < 0) {
        return;
    }
    for (;;) {
        unsigned char hdr[14];
        if (recv_all(fd, hdr, 2) < 0) {
            return;
        }
        int opcode = hdr[0] & 0x0f;
        uint64_t len = hdr[1] & 0x7f;
        if (len == 126) {
            if (recv_all(fd, hdr + 2, 2) < 0) {
                return;
            }
            len = (uint64_t) hdr[2] << 8 | hdr[3];
        } else if (len == 127) {
            if (recv_all(fd, hdr + 2, 8) < 0) {
                return;
            }
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = len << 8 | hdr[2 + i];
            }
        }
        unsigned char mask[4] = { 0 };
        if ((hdr[1] & 0x80) && recv_all(fd, mask, 4) < 0) {
            return;
        }
        if (len > (1 << 20)) {
            return;
        }
        unsigned char *data = malloc(len + 1);
        if (recv_all(fd, data, len) < 0) {
            free(data);
            return;
        }
        for (uint64_t i = 0; i < len; i++) {
            data[i] ^= mask[i % 4];
        }
        /* Server frames are unmasked; a ping is answered with a pong, anything else echoed as is. */
        unsigned char out[10];
        size_t outlen = 2;
        out[0] = (unsigned char) (0x80 | (opcode == 9 ? 10 : opcode));
        if (len < 126) {
            out[1] = (unsigned char) len;
        } else if (len < 65536) {
            out[1] = 126, out[2] = (unsigned char) (len >> 8), out[3] = (unsigned char) len, outlen = 4;
        } else {
            out[1] = 127, outlen = 10;
            for (int i = 0; i < 8; i++) {
                out[2 + i] = (unsigned char) (len >> (56 - 8 * i));
            }
        }
        int failed = send_all(fd, out, outlen) < 0 || send_all(fd, data, len) < 0;
        free(data);
        if (failed || opcode == 8) {
            return;
        }
    }
}

/* Requests in /sleep/ now and at most, across the connection processes (shared, set up by serve-http). */
static int *sleeping;

/* /sleep/MS: holds the answer MS ms, then says which run answered and how many /sleep/ requests were in
   flight when this one came, itself included (Actor Standby's concurrency tests read the peak per run). */
static int answer_after_sleep(int fd, double seconds, int keep_alive)
{
    int now = sleeping ? __atomic_add_fetch(&sleeping[0], 1, __ATOMIC_SEQ_CST) : 1;
    cmd_sleep(seconds);
    if (sleeping) {
        __atomic_sub_fetch(&sleeping[0], 1, __ATOMIC_SEQ_CST);
    }
    const char *run = getenv("ACTOR_RUN_ID");
    char body[160], head[160];
    int len = snprintf(body, sizeof(body), "run %s in flight %d\n", run ? run : "-", now);
    int n = snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
            "Connection: %s\r\n\r\n", len, keep_alive ? "keep-alive" : "close");
    return send_all(fd, head, (size_t) n) < 0 || send_all(fd, body, (size_t) len) < 0 ? -1 : 0;
}

static void serve_connection(int fd)
{
    static char buf[16384];
    size_t have = 0;
    for (;;) {
        char *end;
        buf[have] = 0;
        while ((end = strstr(buf, "\r\n\r\n")) == NULL) {
            if (have >= sizeof(buf) - 1) {
                return;
            }
            ssize_t n = recv(fd, buf + have, sizeof(buf) - 1 - have, 0);
            if (n <= 0) {
                return;
            }
            have += (size_t) n;
            buf[have] = 0;
        }
        size_t head_len = (size_t) (end - buf) + 4;
        char method[16] = "", path[1024] = "", version[16] = "", value[256];
        sscanf(buf, "%15s %1023s %15s", method, path, version);
        int keep_alive = strcmp(version, "HTTP/1.1") == 0;
        if (header(buf, "Connection", value, sizeof(value))) {
            keep_alive = strcasestr(value, "close") == NULL && (keep_alive || strcasestr(value, "keep-alive"));
        }
        if (strcmp(path, "/ws") == 0 && header(buf, "Sec-WebSocket-Key", value, sizeof(value))) {
            websocket_echo(fd, value);
            return;
        }
        long body = header(buf, "Content-Length", value, sizeof(value)) ? atol(value) : 0;
        long buffered = (long) (have - head_len);
        long skip = body < buffered ? body : buffered;
        memmove(buf, buf + head_len + skip, have - head_len - (size_t) skip);
        have -= head_len + (size_t) skip;
        for (char discard[4096]; skip < body;) {
            size_t want = (size_t) (body - skip) < sizeof(discard) ? (size_t) (body - skip) : sizeof(discard);
            ssize_t n = recv(fd, discard, want, 0);
            if (n <= 0) {
                return;
            }
            skip += n;
        }
        if (strncmp(path, "/sleep/", 7) == 0) {
            if (answer_after_sleep(fd, atof(path + 7) / 1000.0, keep_alive) < 0 || !keep_alive) {
                return;
            }
            continue;
        }
        static const char hello[] = "hello from payload\n";
        long length = strncmp(path, "/bytes/", 7) == 0 ? atol(path + 7) : (long) sizeof(hello) - 1;
        char head[256];
        int n = snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %ld\r\n"
                "Connection: %s\r\n\r\n", strncmp(path, "/bytes/", 7) == 0 ? "application/octet-stream" : "text/plain",
                length, keep_alive ? "keep-alive" : "close");
        if (send_all(fd, head, (size_t) n) < 0) {
            return;
        }
        if (strcmp(method, "HEAD") != 0) {
            if (strncmp(path, "/bytes/", 7) != 0) {
                if (send_all(fd, hello, (size_t) length) < 0) {
                    return;
                }
            } else {
                static char block[65536];
                memset(block, 'x', sizeof(block));
                for (long left = length; left > 0; left -= (long) sizeof(block)) {
                    if (send_all(fd, block, left < (long) sizeof(block) ? (size_t) left : sizeof(block)) < 0) {
                        return;
                    }
                }
            }
        }
        if (!keep_alive) {
            return;
        }
    }
}

static int cmd_serve_http(int port)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t) port),
                                .sin_addr.s_addr = htonl(INADDR_ANY) };
    if (bind(s, (struct sockaddr *) &addr, sizeof(addr)) < 0 || listen(s, 64) < 0) {
        say("serve-http: bind/listen :%d: %s\n", port, errname(errno));
        return 1;
    }
    signal(SIGCHLD, SIG_IGN); /* connection handlers reap themselves */
    sleeping = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sleeping == MAP_FAILED) {
        sleeping = NULL;
    }
    say("serve-http: listening on %d\n", port);
    for (;;) {
        int c = accept(s, NULL, NULL);
        if (c < 0) {
            continue;
        }
        /* Head and body go out in separate sends: without this, Nagle holds the body back until the
           client's delayed ACK of the head (40 ms). */
        setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        if (fork() == 0) {
            close(s);
            serve_connection(c);
            _exit(0);
        }
        close(c);
    }
}

static int usage(void)
{
    fprintf(stderr, "usage: payload exit N | sleep S | memhog MB | forkbomb | cpuburn S | zombies N | trap-term\n"
            "       | write MB [PATH] | serve-http PORT | print-status | try-privileged | syscalls NR[:ARG0]...\n"
            "       | kill-self SIGNAL\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        return usage();
    }
    const char *cmd = argv[1];
    const char *arg = argc > 2 ? argv[2] : "0";
    if (strcmp(cmd, "exit") == 0) {
        return atoi(arg);
    } else if (strcmp(cmd, "sleep") == 0) {
        return cmd_sleep(atof(arg));
    } else if (strcmp(cmd, "memhog") == 0) {
        return cmd_memhog(atol(arg));
    } else if (strcmp(cmd, "forkbomb") == 0) {
        return cmd_forkbomb();
    } else if (strcmp(cmd, "cpuburn") == 0) {
        return cmd_cpuburn(atof(arg));
    } else if (strcmp(cmd, "zombies") == 0) {
        return cmd_zombies(atoi(arg));
    } else if (strcmp(cmd, "trap-term") == 0) {
        return cmd_trap_term();
    } else if (strcmp(cmd, "write") == 0) {
        return cmd_write(atol(arg), argc > 3 ? argv[3] : "/tmp/payload.fill");
    } else if (strcmp(cmd, "serve-http") == 0) {
        return cmd_serve_http(atoi(arg));
    } else if (strcmp(cmd, "print-status") == 0) {
        return cmd_print_status();
    } else if (strcmp(cmd, "try-privileged") == 0) {
        return cmd_try_privileged();
    } else if (strcmp(cmd, "syscalls") == 0) {
        return cmd_syscalls(argc - 2, argv + 2);
    } else if (strcmp(cmd, "kill-self") == 0) {
        raise(atoi(arg));
        return 1;
    }
    return usage();
}
