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
 *   Before it drops privileges it also sets the workload's resource limits and resets its
 *   oom_score_adj (the daemon's own, -500 under systemd, would be inherited otherwise), as runc does.
 *   "actord-init --exec" runs one more command in a running container (actorctl exec), as runc's
 *   nsexec does: a multithreaded JVM cannot setns into a mount or user namespace, so this process,
 *   spawned by the daemon on the host and put into the container's cgroup behind the same gate,
 *   joins the container's namespaces from the descriptors it is handed, drops to the same
 *   privileges, forks into the pid namespace, execs the command and exits with its status.
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
 *   "actord-init --exec": fds 0-2 the command's stdio, 3 the daemon's socket, 6 the user namespace
 *        (with 'N'), and each 'J' record's descriptor (a namespace, joined in record order, before the
 *        user namespace); the same CONFIG; "started\n" once the command is forked (with 'T': sent with
 *        the pty's master as SCM_RIGHTS), then it exits as the command did (its code, or its signal).
 *        An exec failure is the command's: a message on its stderr and exit 127 (not found) or 126.
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
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
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
#define MAX_RLIMITS 16
#define MAX_JOINED 8

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
    struct { uint32_t resource; struct rlimit limit; } rlimits[MAX_RLIMITS];
    int nrlimits;
    int oom_score_adj;
    int set_oom_score_adj;
    int joined[MAX_JOINED];
    int njoined;
    int tty;
    struct winsize window;
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

static uint64_t u64_at(const unsigned char *p)
{
    return (uint64_t) u32_at(p) | (uint64_t) u32_at(p + 4) << 32;
}

/* 'L': u32 resource, u64 soft, u64 hard (RLIM_INFINITY is all ones, as the kernel has it). */
static void add_rlimit(struct config *cfg, const unsigned char *value, uint32_t len)
{
    if (len != 20) {
        fail(0, "config: resource limit must hold 20 bytes, has %u", len);
    }
    if (cfg->nrlimits >= MAX_RLIMITS) {
        fail(0, "config: more than %d resource limits", MAX_RLIMITS);
    }
    cfg->rlimits[cfg->nrlimits].resource = u32_at(value);
    cfg->rlimits[cfg->nrlimits].limit.rlim_cur = u64_at(value + 4);
    cfg->rlimits[cfg->nrlimits].limit.rlim_max = u64_at(value + 12);
    cfg->nrlimits++;
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
            cfg->capabilities = u64_at(value);
            break;
        case 'L': add_rlimit(cfg, value, len); break;
        case 'O':
            cfg->oom_score_adj = (int32_t) u32_value(tag, value, len);
            cfg->set_oom_score_adj = 1;
            break;
        case 'J':
            if (cfg->njoined >= MAX_JOINED) {
                fail(0, "config: more than %d namespaces to join", MAX_JOINED);
            }
            cfg->joined[cfg->njoined++] = (int) u32_value(tag, value, len);
            break;
        case 'T': {
            uint32_t size = u32_value(tag, value, len);
            cfg->tty = 1;
            cfg->window.ws_row = (unsigned short) (size >> 16);
            cfg->window.ws_col = (unsigned short) (size & 0xffff);
            break;
        }
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

/*
 * While init is still in the host's user namespace: a hard limit above the daemon's needs CAP_SYS_RESOURCE
 * there. A daemon without it (inside a container that withholds it) gives what it has: the hard limit stays
 * at its own, the soft one at most that. oom_score_adj may always be raised; the daemon runs at -500 so that
 * the kernel kills a run before it, and a run must not inherit that protection.
 */
static void apply_limits(const struct config *cfg)
{
    for (int i = 0; i < cfg->nrlimits; i++) {
        int resource = (int) cfg->rlimits[i].resource;
        struct rlimit limit = cfg->rlimits[i].limit;
        struct rlimit own;
        int rc = setrlimit(resource, &limit);
        if (rc < 0 && errno == EPERM && getrlimit(resource, &own) == 0 && limit.rlim_max > own.rlim_max) {
            limit.rlim_max = own.rlim_max;
            limit.rlim_cur = limit.rlim_cur < own.rlim_max ? limit.rlim_cur : own.rlim_max;
            rc = setrlimit(resource, &limit);
        }
        if (rc < 0) {
            fail(errno, "setrlimit(%d, %llu, %llu)", resource, (unsigned long long) limit.rlim_cur,
                 (unsigned long long) limit.rlim_max);
        }
    }
    if (!cfg->set_oom_score_adj) {
        return;
    }
    int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    char value[16];
    int n = snprintf(value, sizeof(value), "%d", cfg->oom_score_adj);
    if (fd < 0 || write(fd, value, (size_t) n) != n) {
        fail(errno, "write %s to /proc/self/oom_score_adj", value);
    }
    close(fd);
}

/*
 * Exec mode: the namespaces the daemon opened from the container's init, in its order. The user namespace
 * comes after them (join_user_namespace): the others belong to the host's user namespace, so entering
 * them needs the capabilities that joining the container's user namespace takes away.
 */
static void join_namespaces(const struct config *cfg)
{
    for (int i = 0; i < cfg->njoined; i++) {
        if (setns(cfg->joined[i], 0) < 0) {
            fail(errno, "setns(fd %d)", cfg->joined[i]);
        }
        close(cfg->joined[i]);
    }
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

/* PID 1 ignores signals it has no handler for unless they are blocked (then sigwaitinfo gets them). */
static void block_signals(sigset_t *waited, sigset_t *unblocked)
{
    sigemptyset(unblocked);
    sigemptyset(waited);
    int forwarded[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2 };
    for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++) {
        sigaddset(waited, forwarded[i]);
    }
    sigaddset(waited, SIGCHLD);
    sigprocmask(SIG_BLOCK, waited, NULL);
}

/* Exec mode, 'T': a pty of the container's own devpts, opened as the command's user. */
static void open_pty(const struct config *cfg, int *master, int *slave)
{
    *master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (*master < 0 || grantpt(*master) < 0 || unlockpt(*master) < 0) {
        fail(errno, "open a pseudo-terminal (/dev/ptmx)");
    }
    /* TIOCGPTPEER (Linux 4.13) opens the peer without a path lookup. */
    *slave = ioctl(*master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
    if (*slave < 0) {
        fail(errno, "open the pseudo-terminal's peer");
    }
    if (ioctl(*master, TIOCSWINSZ, &cfg->window) < 0) {
        fail(errno, "set the window size");
    }
}

/* Exec mode: forks the command into the container's pid namespace; an exec failure is the command's. */
static pid_t start_command(const struct config *cfg, const sigset_t *unblocked, int slave)
{
    pid_t pid = fork();
    if (pid < 0) {
        fail(errno, "fork");
    }
    if (pid != 0) {
        return pid;
    }
    sigprocmask(SIG_SETMASK, unblocked, NULL);
    /* The daemon ends an exec by killing this process's parent. */
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    if (slave >= 0) {
        if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0 || dup2(slave, 0) < 0 || dup2(slave, 1) < 0
                || dup2(slave, 2) < 0) {
            dprintf(STDERR_FILENO, "actord-init: make the pseudo-terminal the controlling one: %s\n",
                    strerror(errno));
            _exit(126);
        }
        close(slave);
    }
    environ = (char **) cfg->envp;
    execvp(cfg->argv[0], cfg->argv);
    int err = errno;
    dprintf(STDERR_FILENO, "actord-init: exec %s: %s\n", cfg->argv[0], strerror(err));
    _exit(err == ENOENT ? 127 : 126);
}

/*
 * "started\n", carrying the pty's master (SCM_RIGHTS) when there is one. A daemon that is gone gets no
 * command: it is killed, and we end.
 */
static void report_started(pid_t child, int master)
{
    static const char started[] = "started\n";
    struct iovec iov = { (void *) started, sizeof(started) - 1 };
    union {
        struct cmsghdr header;
        char buffer[CMSG_SPACE(sizeof(int))];
    } control;
    struct msghdr msg;
    memset(&msg, 0, sizeof(msg));
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    if (master >= 0) {
        memset(&control, 0, sizeof(control));
        msg.msg_control = control.buffer;
        msg.msg_controllen = sizeof(control.buffer);
        struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
        cmsg->cmsg_level = SOL_SOCKET;
        cmsg->cmsg_type = SCM_RIGHTS;
        cmsg->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cmsg), &master, sizeof(int));
    }
    if (sendmsg(FD_SYNC, &msg, MSG_NOSIGNAL) < 0) {
        kill(child, SIGKILL);
        _exit(125);
    }
}

/*
 * Forwards the signals in waited to child and reaps every child that ends (as PID 1 every orphan in the
 * namespace is ours; in exec mode the command is the only one) until child has; returns its status.
 */
static int supervise(pid_t child, const sigset_t *waited)
{
    for (;;) {
        siginfo_t info;
        int sig = sigwaitinfo(waited, &info);
        if (sig < 0) {
            continue;
        }
        if (sig != SIGCHLD) {
            kill(child, sig);
            continue;
        }
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            if (pid == child) {
                return status;
            }
        }
    }
}

/* Ends as the command did: with its code, or killed by its signal (no core: RLIMIT_CORE and not dumpable). */
static void __attribute__((noreturn)) exit_as(int status)
{
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        sigset_t only;
        sigemptyset(&only);
        sigaddset(&only, sig);
        signal(sig, SIG_DFL);
        sigprocmask(SIG_UNBLOCK, &only, NULL);
        kill(getpid(), sig);
        _exit(128 + sig);
    }
    _exit(WEXITSTATUS(status));
}

static void __attribute__((noreturn)) exec_command(void)
{
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    sigset_t waited, unblocked;
    block_signals(&waited, &unblocked);
    fcntl(FD_SYNC, F_SETFD, FD_CLOEXEC);
    fcntl(FD_USERNS, F_SETFD, FD_CLOEXEC);

    struct config cfg;
    read_config(&cfg);
    /* The host's /proc still: this process's own oom_score_adj, which the command inherits. */
    apply_limits(&cfg);
    join_namespaces(&cfg);
    join_user_namespace(&cfg);
    drop_privileges(&cfg);
    if (chdir(cfg.workdir) < 0) {
        fail(errno, "chdir %s", cfg.workdir);
    }
    int master = -1;
    int slave = -1;
    if (cfg.tty) {
        open_pty(&cfg, &master, &slave);
    }
    pid_t child = start_command(&cfg, &unblocked, slave);
    report_started(child, master);
    /* Only the command holds its stdio and terminal now: their ends see EOF when it is done. */
    close(FD_SYNC);
    close(master);
    close(slave);
    close(STDIN_FILENO);
    close(STDOUT_FILENO);
    close(STDERR_FILENO);
    exit_as(supervise(child, &waited));
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
    if (argc == 2 && strcmp(argv[1], "--exec") == 0) {
        exec_command();
    }
    /* /proc/1/exe leads to the host's copy of this binary: keep the workload's hands off it. */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

    /* Before anything, so a SIGTERM sent during start-up is forwarded later. */
    sigset_t waited, unblocked;
    block_signals(&waited, &unblocked);

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
    apply_limits(&cfg);
    join_user_namespace(&cfg);
    drop_privileges(&cfg);
    if (chdir(cfg.workdir) < 0) {
        fail(errno, "chdir %s", cfg.workdir);
    }
    pid_t child = start_entrypoint(&cfg, &unblocked);

    report_started(child, -1);
    close(FD_SYNC);
    /* The output pipe must see EOF when the workload is done with it, whatever init still does. */
    close(STDOUT_FILENO);
    close(STDERR_FILENO);

    finish(supervise(child, &waited));
}
