/*
 * actord-init: PID 1 of every actord container.
 *
 * Why it exists
 *   The daemon is a JVM. A JVM thread can unshare namespaces, mount, pivot_root and posix_spawn, but no
 *   Java code can run inside the new pid namespace: only a child process is inside it, and the child of a
 *   multithreaded process may run nothing but async-signal-safe code until it execs. So the daemon spawns
 *   this static binary as the container's first process, and it does what must happen inside:
 *     - the gate: block on fd 3 until the daemon has put it into the container's cgroup, then enter a
 *       new cgroup namespace rooted there;
 *     - mount /proc (a proc mounted from outside shows the host's processes), mask and write-protect
 *       the sensitive /proc and /sys paths;
 *     - join the container's user namespace (fd 6), when the daemon gave one;
 *     - drop to the configured capabilities, set no_new_privs, install the seccomp filter the daemon
 *       built, switch uid/gid;
 *     - fork and exec the entrypoint, forward SIGTERM/INT/HUP/USR1/USR2 to it, reap every zombie,
 *       record the entrypoint's exit status on fd 4 and exit with it.
 *
 * What it must never grow into
 *   A runtime. It takes its whole configuration from the daemon and decides nothing itself: no
 *   namespaces but the cgroup one and the user namespace it is handed, no rootfs, device or network
 *   setup, no cgroup files, no files or config of its own, no libraries, no policy. Whatever can be
 *   done from the daemon is done there. It stays one file of a few hundred lines.
 *
 * Protocol (io.actord.runtime.process.InitProtocol has the diagram; keep the two in step)
 *   fds: 0 stdin, 1+2 the workload's output, 3 the daemon's socket, 4 the exit-status file,
 *        5 (only with a piped output) a copy of the pipe's read end, held so that the workload never
 *        gets SIGPIPE while a restarting daemon is away; 6 (only with the 'N' record) the user namespace.
 *   "actord-init --userns-holder" (UserNamespaces): unshare CLONE_NEWUSER, write "unshared\n" on fd 1,
 *        wait for EOF on fd 0, exit; the daemon writes its maps and keeps the namespace by a descriptor.
 *   daemon -> init, fd 3: "ACI1", u32 body length, body = records (u8 tag, u32 length, value); all
 *        integers little-endian, strings NUL-terminated.
 *   init -> daemon, fd 3: "started\n" once the entrypoint is exec'd, or "error <message>\n"; then closed.
 *   init -> fd 4 when the entrypoint ends: "exited <code>\n" or "signaled <signal>\n".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROTOCOL_MAGIC "ACI1"
#define FD_SYNC 3
#define FD_EXIT_STATUS 4
#define FD_OUTPUT_COPY 5
#define FD_USERNS 6
#define MAX_CONFIG_BYTES (1 << 20)
#define MAX_LIST 4096
#define MAX_GROUPS 64

struct config {
    char *argv[MAX_LIST + 1];
    int argc;
    char *envp[MAX_LIST + 1];
    int envc;
    char *masked[MAX_LIST];
    int nmasked;
    char *readonly[MAX_LIST];
    int nreadonly;
    const char *workdir;
    uint32_t uid, gid;
    uint32_t groups[MAX_GROUPS];
    int ngroups;
    uint64_t capabilities;
    int userns;
    const unsigned char *filter;
    uint32_t filter_len;
};

extern char **environ;

/* Sends "error <message>: <ERRNO> (<text>)" (when err != 0) to the daemon and exits. */
static void __attribute__((noreturn, format(printf, 2, 3))) fail(int err, const char *fmt, ...)
{
    char msg[2048] = "error ";
    size_t n = strlen(msg);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
    va_end(ap);
    n = strlen(msg);
    if (err != 0) {
        const char *name = strerrorname_np(err);
        snprintf(msg + n, sizeof(msg) - n, ": %s (%s)", name ? name : "E?", strerrordesc_np(err));
        n = strlen(msg);
    }
    if (n < sizeof(msg) - 1) {
        msg[n++] = '\n';
    }
    /* MSG_NOSIGNAL: a daemon that went away must not kill us with SIGPIPE before we exit cleanly. */
    send(FD_SYNC, msg, n, MSG_NOSIGNAL);
    _exit(126);
}

static int read_full(int fd, unsigned char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = read(fd, buf, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return -1;
        }
        buf += n;
        len -= (size_t) n;
    }
    return 0;
}

static uint32_t u32_at(const unsigned char *p)
{
    return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

static char *string_value(unsigned char tag, unsigned char *value, uint32_t len)
{
    if (len == 0 || memchr(value, 0, len) != value + len - 1) {
        fail(0, "config: record '%c' is not one NUL-terminated string", tag);
    }
    return (char *) value;
}

static void add_string(char **list, int *count, unsigned char tag, unsigned char *value, uint32_t len)
{
    if (*count >= MAX_LIST) {
        fail(0, "config: more than %d '%c' records", MAX_LIST, tag);
    }
    list[(*count)++] = string_value(tag, value, len);
}

static uint32_t u32_value(unsigned char tag, const unsigned char *value, uint32_t len)
{
    if (len != 4) {
        fail(0, "config: record '%c' must hold 4 bytes, has %u", tag, len);
    }
    return u32_at(value);
}

/*
 * The gate: this read returns only after the daemon has put us into the container's cgroup, so that
 * nothing the workload does is ever charged elsewhere. An EOF means the daemon gave up: exit quietly.
 */
static void read_config(struct config *cfg)
{
    unsigned char header[8];
    if (read_full(FD_SYNC, header, sizeof(header)) < 0) {
        _exit(125);
    }
    if (memcmp(header, PROTOCOL_MAGIC, 4) != 0) {
        fail(0, "config: bad magic (expected protocol %s)", PROTOCOL_MAGIC);
    }
    uint32_t size = u32_at(header + 4);
    if (size > MAX_CONFIG_BYTES) {
        fail(0, "config: %u bytes is more than %d", size, MAX_CONFIG_BYTES);
    }
    unsigned char *body = malloc(size + 1);
    if (body == NULL || read_full(FD_SYNC, body, size) < 0) {
        fail(errno, "config: read %u bytes", size);
    }
    memset(cfg, 0, sizeof(*cfg));
    cfg->workdir = "/";
    for (uint32_t pos = 0; pos < size;) {
        if (size - pos < 5) {
            fail(0, "config: truncated record header at byte %u", pos);
        }
        unsigned char tag = body[pos];
        uint32_t len = u32_at(body + pos + 1);
        pos += 5;
        if (len > size - pos) {
            fail(0, "config: record '%c' of %u bytes overruns the message", tag, len);
        }
        unsigned char *value = body + pos;
        pos += len;
        switch (tag) {
        case 'A': add_string(cfg->argv, &cfg->argc, tag, value, len); break;
        case 'E': add_string(cfg->envp, &cfg->envc, tag, value, len); break;
        case 'M': add_string(cfg->masked, &cfg->nmasked, tag, value, len); break;
        case 'R': add_string(cfg->readonly, &cfg->nreadonly, tag, value, len); break;
        case 'N': cfg->userns = 1; break;
        case 'W': cfg->workdir = string_value(tag, value, len); break;
        case 'U': cfg->uid = u32_value(tag, value, len); break;
        case 'G': cfg->gid = u32_value(tag, value, len); break;
        case 'S':
            if (cfg->ngroups >= MAX_GROUPS) {
                fail(0, "config: more than %d supplementary groups", MAX_GROUPS);
            }
            cfg->groups[cfg->ngroups++] = u32_value(tag, value, len);
            break;
        case 'C':
            if (len != 8) {
                fail(0, "config: capability mask must hold 8 bytes, has %u", len);
            }
            cfg->capabilities = (uint64_t) u32_at(value) | (uint64_t) u32_at(value + 4) << 32;
            break;
        case 'F':
            if (len == 0 || len % sizeof(struct sock_filter) != 0) {
                fail(0, "config: seccomp filter of %u bytes is not a whole number of instructions", len);
            }
            cfg->filter = value;
            cfg->filter_len = len;
            break;
        default:
            fail(0, "config: unknown record tag 0x%02x", tag);
        }
    }
    if (cfg->argc == 0) {
        fail(0, "config: no command");
    }
}

static void mount_proc(const struct config *cfg)
{
    if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
        fail(errno, "mount proc on /proc");
    }
    /* As runc and crun do: /dev/null over files, an empty read-only tmpfs over directories. */
    for (int i = 0; i < cfg->nmasked; i++) {
        const char *path = cfg->masked[i];
        struct stat st;
        if (stat(path, &st) < 0) {
            if (errno == ENOENT) {
                continue;
            }
            fail(errno, "stat %s", path);
        }
        int rc = S_ISDIR(st.st_mode)
                ? mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)
                : mount("/dev/null", path, NULL, MS_BIND, NULL);
        if (rc < 0) {
            fail(errno, "mask %s", path);
        }
    }
    for (int i = 0; i < cfg->nreadonly; i++) {
        const char *path = cfg->readonly[i];
        if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) {
            if (errno == ENOENT) {
                continue;
            }
            fail(errno, "bind %s on itself", path);
        }
        if (mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
            fail(errno, "remount %s read-only", path);
        }
    }
}

/*
 * Joined after /proc is mounted and the paths are masked: those mounts need CAP_SYS_ADMIN over the mount
 * namespace, which the daemon's (initial) user namespace owns. In the container's namespace init holds
 * every capability until drop_privileges, and its ids become the container's with setres[ug]id there.
 */
static void join_user_namespace(const struct config *cfg)
{
    if (!cfg->userns) {
        return;
    }
    if (setns(FD_USERNS, CLONE_NEWUSER) < 0) {
        fail(errno, "setns(fd %d, CLONE_NEWUSER)", FD_USERNS);
    }
    close(FD_USERNS);
}

static void __attribute__((noreturn)) hold_user_namespace(void)
{
    static const char unshared[] = "unshared\n";
    if (unshare(CLONE_NEWUSER) < 0) {
        dprintf(STDOUT_FILENO, "error unshare(CLONE_NEWUSER): %s\n", strerror(errno));
        _exit(1);
    }
    if (write(STDOUT_FILENO, unshared, sizeof(unshared) - 1) < 0) {
        _exit(1);
    }
    char c;
    ssize_t n;
    do {
        n = read(STDIN_FILENO, &c, 1);
    } while (n > 0 || (n < 0 && errno == EINTR));
    _exit(0);
}

/*
 * Order matters: the bounding set is dropped while CAP_SETPCAP is still effective; uid/gid change next
 * (PR_SET_KEEPCAPS keeps the permitted set across a change away from uid 0, which clears the effective
 * set); capset then raises the effective set from the permitted one; no_new_privs lets an unprivileged
 * task install the filter, and the filter comes last so nothing above needs a syscall it denies.
 */
static void drop_privileges(const struct config *cfg)
{
    for (int cap = 0; cap < 64; cap++) {
        if ((cfg->capabilities >> cap) & 1) {
            continue;
        }
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
            if (errno == EINVAL) {
                break; /* past the kernel's last capability */
            }
            fail(errno, "drop capability %d from the bounding set", cap);
        }
    }
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) {
        fail(errno, "clear the ambient capabilities");
    }
    if (cfg->uid != 0 && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) {
        fail(errno, "prctl(PR_SET_KEEPCAPS)");
    }
    gid_t groups[MAX_GROUPS];
    for (int i = 0; i < cfg->ngroups; i++) {
        groups[i] = cfg->groups[i];
    }
    /* Raw syscalls, as everywhere in actord: only this task changes, whatever libc would do. */
    if (syscall(SYS_setgroups, cfg->ngroups, groups) < 0) {
        fail(errno, "setgroups(%d groups)", cfg->ngroups);
    }
    if (syscall(SYS_setresgid, cfg->gid, cfg->gid, cfg->gid) < 0) {
        fail(errno, "setresgid(%u)", cfg->gid);
    }
    if (syscall(SYS_setresuid, cfg->uid, cfg->uid, cfg->uid) < 0) {
        fail(errno, "setresuid(%u)", cfg->uid);
    }
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof(data));
    data[0].effective = data[0].permitted = (uint32_t) cfg->capabilities;
    data[1].effective = data[1].permitted = (uint32_t) (cfg->capabilities >> 32);
    if (syscall(SYS_capset, &header, data) < 0) {
        fail(errno, "capset(0x%016llx)", (unsigned long long) cfg->capabilities);
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
        fail(errno, "prctl(PR_SET_NO_NEW_PRIVS)");
    }
    if (cfg->filter_len > 0) {
        /* Copied out of the message buffer, which gives no alignment guarantee. */
        struct sock_filter *insns = malloc(cfg->filter_len);
        if (insns == NULL) {
            fail(errno, "allocate the seccomp filter");
        }
        memcpy(insns, cfg->filter, cfg->filter_len);
        struct sock_fprog prog = { (unsigned short) (cfg->filter_len / sizeof(*insns)), insns };
        if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
            fail(errno, "seccomp(SECCOMP_SET_MODE_FILTER, %u instructions)", prog.len);
        }
    }
}

/* Forks the entrypoint; returns once it is exec'd, or reports why exec failed. */
static pid_t start_entrypoint(const struct config *cfg, const sigset_t *unblocked)
{
    int errpipe[2];
    if (pipe2(errpipe, O_CLOEXEC) < 0) {
        fail(errno, "pipe2");
    }
    pid_t pid = fork();
    if (pid < 0) {
        fail(errno, "fork");
    }
    if (pid == 0) {
        sigprocmask(SIG_SETMASK, unblocked, NULL);
        /* execvp searches the PATH of environ, so the workload's environment goes there first. */
        environ = (char **) cfg->envp;
        execvp(cfg->argv[0], cfg->argv);
        int err = errno;
        _exit(write(errpipe[1], &err, sizeof(err)) == (ssize_t) sizeof(err) ? 127 : 126);
    }
    close(errpipe[1]);
    int err;
    ssize_t n;
    do {
        n = read(errpipe[0], &err, sizeof(err));
    } while (n < 0 && errno == EINTR);
    if (n == (ssize_t) sizeof(err)) {
        waitpid(pid, NULL, 0);
        fail(err, "exec %s", cfg->argv[0]);
    }
    close(errpipe[0]);
    return pid;
}

static void __attribute__((noreturn)) finish(int status)
{
    char line[32];
    int code;
    int n;
    if (WIFEXITED(status)) {
        code = WEXITSTATUS(status);
        n = snprintf(line, sizeof(line), "exited %d\n", code);
    } else {
        code = 128 + WTERMSIG(status);
        n = snprintf(line, sizeof(line), "signaled %d\n", WTERMSIG(status));
    }
    /* If this fails, the daemon still learns the status from init's own exit code. */
    pwrite(FD_EXIT_STATUS, line, (size_t) n, 0);
    /* PID 1 exiting makes the kernel SIGKILL whatever is left in the pid namespace. */
    _exit(code);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        printf("actord-init protocol %s\n", PROTOCOL_MAGIC);
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "--userns-holder") == 0) {
        hold_user_namespace();
    }
    /* /proc/1/exe leads to the host's copy of this binary: keep the workload's hands off it. */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

    /*
     * PID 1 ignores signals it has no handler for, unless they are blocked: then they stay pending for
     * sigwaitinfo. Block them before anything, so a SIGTERM sent during start-up is forwarded later.
     */
    sigset_t waited, unblocked;
    sigemptyset(&unblocked);
    sigemptyset(&waited);
    int forwarded[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2 };
    for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++) {
        sigaddset(&waited, forwarded[i]);
    }
    sigaddset(&waited, SIGCHLD);
    sigprocmask(SIG_BLOCK, &waited, NULL);

    /* Only the workload's stdio is inherited; fds 5 and 6 may be absent. */
    for (int fd = FD_SYNC; fd <= FD_USERNS; fd++) {
        fcntl(fd, F_SETFD, FD_CLOEXEC);
    }

    struct config cfg;
    read_config(&cfg);

    /* The daemon spawned us from the container's detached old root; the new root is "/". */
    if (chdir("/") < 0) {
        fail(errno, "chdir /");
    }
    /* Placed in the cgroup by now, so the new cgroup namespace is rooted at the container's own. */
    if (unshare(CLONE_NEWCGROUP) < 0) {
        fail(errno, "unshare(CLONE_NEWCGROUP)");
    }
    mount_proc(&cfg);
    join_user_namespace(&cfg);
    drop_privileges(&cfg);
    if (chdir(cfg.workdir) < 0) {
        fail(errno, "chdir %s", cfg.workdir);
    }
    pid_t child = start_entrypoint(&cfg, &unblocked);

    static const char started[] = "started\n";
    if (send(FD_SYNC, started, sizeof(started) - 1, MSG_NOSIGNAL) < 0) {
        kill(child, SIGKILL);
        _exit(125);
    }
    close(FD_SYNC);
    /* The output pipe must see EOF when the workload is done with it, whatever init still does. */
    close(STDOUT_FILENO);
    close(STDERR_FILENO);

    for (;;) {
        siginfo_t info;
        int sig = sigwaitinfo(&waited, &info);
        if (sig < 0) {
            continue;
        }
        if (sig != SIGCHLD) {
            kill(child, sig);
            continue;
        }
        /* Every orphan in the namespace is ours to reap; the entrypoint's end is ours to report. */
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            if (pid == child) {
                finish(status);
            }
        }
    }
}
