/*
 * escape: the escape battery of the test rootfs (EscapeBatteryIT, issue #20). Each probe tries one way out
 * of a container, or one privileged kernel interface, and prints one line
 *
 *     probe NAME RESULT
 *
 * RESULT is "ok" when the call succeeded, the errno's name (EPERM, EROFS, ...) when it was refused, or a
 * word the probe explains (masked, contained, own, ...). A probe whose own preparation fails prints
 * "setup-<errno>", which no expectation accepts: a probe that could not run must fail the test, never pass
 * it. The last line is "escape: done N" with the number of probes that ran.
 *
 * Usage: escape ns.NAME=INODE... host-port=N host-pid=N
 *        escape raw-udp IFACE ADDRESS PORT   (see raw_udp)
 *   from the test: the host's namespace inodes (ns.net=4026531840 ...), so the ns-* probes can tell the
 *   run's own namespaces from the host's; a TCP port listening on the host's 127.0.0.1; the test's pid.
 * Every probe is harmless if it were to succeed here: it is made with arguments that change nothing the
 * host relies on (an invalid reboot command, the current time, a module that does not exist, ...).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <linux/audit.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/io_uring.h>
#include <linux/kexec.h>
#include <linux/keyctl.h>
#include <linux/mount.h>
#include <linux/netlink.h>
#include <linux/perf_event.h>
#include <linux/reboot.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/quota.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static int probes;

static const char *errname(int err)
{
    const char *name = strerrorname_np(err);
    return name ? name : "E?";
}

static void result(const char *name, const char *what)
{
    printf("probe %s %s\n", name, what);
    fflush(stdout);
    probes++;
}

/* The answer of a call that returns < 0 on failure with errno set. */
static void report(const char *name, long rc)
{
    result(name, rc < 0 ? errname(errno) : "ok");
}

/* A probe whose preparation failed: never an accepted answer. */
static void setup_failed(const char *name, int err)
{
    char what[64];
    snprintf(what, sizeof(what), "setup-%s", errname(err));
    result(name, what);
}

static int is_dev_null(int fd)
{
    struct stat st;
    return fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3);
}

/* Opens PATH (for writing, nothing is written): "masked" when it is /dev/null, "ok" when it opened. */
static void probe_open(const char *name, const char *path, int flags)
{
    int fd = open(path, flags | O_CLOEXEC);
    if (fd < 0) {
        report(name, -1);
        return;
    }
    result(name, is_dev_null(fd) ? "masked" : "ok");
    close(fd);
}

/* ---- mount family: new mounts, binds, remounts, moves, unmounts, the new mount API ---- */

static void probe_mounts(void)
{
    mkdir("/tmp/escape-mnt", 0700);
    report("mount-tmpfs", mount("tmpfs", "/tmp/escape-mnt", "tmpfs", 0, NULL));
    report("mount-proc", mount("proc", "/tmp/escape-mnt", "proc", 0, NULL));
    report("mount-bind-root", mount("/", "/tmp/escape-mnt", NULL, MS_BIND | MS_REC, NULL));
    report("mount-remount-root-rw", mount(NULL, "/", NULL, MS_REMOUNT, NULL));
    report("mount-remount-proc-sys-rw", mount(NULL, "/proc/sys", NULL, MS_REMOUNT | MS_BIND, NULL));
    report("mount-move-proc", mount("/proc", "/tmp/escape-mnt", NULL, MS_MOVE, NULL));
    report("mount-make-shared", mount(NULL, "/", NULL, MS_SHARED | MS_REC, NULL));
    report("umount-proc", umount2("/proc", MNT_DETACH));
    report("umount-proc-sys", umount2("/proc/sys", 0));
    report("umount-masked-sysrq", umount2("/proc/sysrq-trigger", MNT_DETACH));
    report("open_tree", syscall(SYS_open_tree, AT_FDCWD, "/", OPEN_TREE_CLONE));
    report("fsopen", syscall(SYS_fsopen, "tmpfs", 0));
    report("fspick", syscall(SYS_fspick, AT_FDCWD, "/proc/sys", 0));
    report("fsmount", syscall(SYS_fsmount, -1, 0, 0));
    report("move_mount", syscall(SYS_move_mount, AT_FDCWD, "/proc", AT_FDCWD, "/tmp/escape-mnt", 0));
    struct mount_attr attr = { .attr_clr = MOUNT_ATTR_RDONLY };
    report("mount_setattr", syscall(SYS_mount_setattr, AT_FDCWD, "/proc/sys", 0, &attr, sizeof(attr)));
    report("pivot_root", syscall(SYS_pivot_root, "/tmp", "/tmp/escape-mnt"));
}

/* ---- namespaces: setns into our own and PID 1's, unshare and clone with each CLONE_NEW* ---- */

static const struct {
    const char *name;
    int flag;
} namespaces[] = {
    { "mnt", CLONE_NEWNS }, { "uts", CLONE_NEWUTS }, { "ipc", CLONE_NEWIPC }, { "net", CLONE_NEWNET },
    { "pid", CLONE_NEWPID }, { "cgroup", CLONE_NEWCGROUP }, { "user", CLONE_NEWUSER }, { "time", CLONE_NEWTIME },
};
#define NAMESPACES (sizeof(namespaces) / sizeof(namespaces[0]))

static void probe_setns(const char *pid, const char *ns)
{
    char path[64], name[64];
    snprintf(path, sizeof(path), "/proc/%s/ns/%s", pid, ns);
    snprintf(name, sizeof(name), "setns-%s-%s", strcmp(pid, "1") == 0 ? "init" : "self", ns);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        /* Opening PID 1's namespace is itself a ptrace-mode check: its refusal is an answer; so is a
           namespace type this kernel lacks (time namespaces need CONFIG_TIME_NS) */
        if (strcmp(pid, "1") == 0 || errno == ENOENT) {
            report(name, -1);
        } else {
            setup_failed(name, errno);
        }
        return;
    }
    report(name, setns(fd, 0));
    close(fd);
}

/* A clone child exits at once; the parent reaps it. */
static long try_clone(unsigned long flags)
{
    long pid = syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
    if (pid == 0) {
        _exit(0);
    }
    if (pid > 0) {
        waitpid((pid_t) pid, NULL, 0);
    }
    return pid;
}

static void probe_namespaces(void)
{
    char name[64];
    for (size_t i = 0; i < NAMESPACES; i++) {
        probe_setns("self", namespaces[i].name);
    }
    probe_setns("1", "mnt");
    probe_setns("1", "net");
    for (size_t i = 0; i < NAMESPACES; i++) {
        snprintf(name, sizeof(name), "unshare-%s", namespaces[i].name);
        report(name, unshare(namespaces[i].flag));
    }
    for (size_t i = 0; i < NAMESPACES; i++) {
        if (namespaces[i].flag == CLONE_NEWTIME) {
            continue; /* legacy clone reads CLONE_NEWTIME's bit as part of the exit signal */
        }
        snprintf(name, sizeof(name), "clone-%s", namespaces[i].name);
        report(name, try_clone((unsigned long) namespaces[i].flag));
    }
    struct {
        uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
    } args = { .flags = CLONE_NEWUSER, .exit_signal = SIGCHLD };
    long pid = syscall(SYS_clone3, &args, sizeof(args));
    if (pid == 0) {
        _exit(0);
    }
    if (pid > 0) {
        waitpid((pid_t) pid, NULL, 0);
    }
    report("clone3-user", pid);
}

/* The value of the argument KEY=VALUE, or NULL. */
static const char *arg(int argc, char **argv, const char *key)
{
    size_t len = strlen(key);
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], key, len) == 0 && argv[i][len] == '=') {
            return argv[i] + len + 1;
        }
    }
    return NULL;
}

/* ns-NAME own|host: our namespace against the host's inode the test passed as ns.NAME=INODE. */
static void probe_own_namespaces(int argc, char **argv)
{
    for (size_t i = 0; i < NAMESPACES; i++) {
        char key[32], name[48], path[64];
        snprintf(key, sizeof(key), "ns.%s", namespaces[i].name);
        snprintf(name, sizeof(name), "ns-%s", namespaces[i].name);
        snprintf(path, sizeof(path), "/proc/self/ns/%s", namespaces[i].name);
        const char *host = arg(argc, argv, key);
        struct stat st;
        if (stat(path, &st) < 0 && errno == ENOENT) {
            report(name, -1); /* a namespace type this kernel lacks */
            continue;
        }
        if (host == NULL) {
            setup_failed(name, EINVAL);
            continue;
        }
        result(name, (unsigned long long) st.st_ino == strtoull(host, NULL, 10) ? "host" : "own");
    }
}

/*
 * The host seen from the run: a TCP listener the test opened on the host's 127.0.0.1 (host-port=N), the
 * test JVM's pid (host-pid=N), the daemon's terminal (/dev/tty, TIOCSTI on our stdio).
 */
static void probe_host_reach(int argc, char **argv)
{
    const char *port = arg(argc, argv, "host-port");
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (port == NULL || s < 0) {
        setup_failed("connect-host-loopback", port == NULL ? EINVAL : errno);
    } else {
        struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons((uint16_t) atoi(port)),
                                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        report("connect-host-loopback", connect(s, (struct sockaddr *) &to, sizeof(to)));
    }
    if (s >= 0) {
        close(s);
    }
    const char *pid = arg(argc, argv, "host-pid");
    if (pid == NULL) {
        setup_failed("kill-host-pid", EINVAL);
    } else {
        report("kill-host-pid", kill((pid_t) atoi(pid), 0));
    }
    probe_open("open-dev-tty", "/dev/tty", O_RDWR);
    /* ok if any of 0-2 takes the ioctl, else the last refusal */
    long rc = -1;
    int err = 0;
    for (int fd = 0; fd <= 2 && rc < 0; fd++) {
        char c = ' ';
        rc = ioctl(fd, TIOCSTI, &c);
        err = errno;
    }
    errno = err;
    report("tiocsti-stdio", rc);
}

/* identity uid=U,gid=G,capeff=HEX,nnp=N,seccomp=M: who the battery runs as, so a variant is what it says. */
static void probe_identity(void)
{
    FILE *f = fopen("/proc/self/status", "re");
    if (f == NULL) {
        setup_failed("identity", errno);
        return;
    }
    char line[256], capeff[32] = "?", nnp[8] = "?", seccomp[8] = "?";
    while (fgets(line, sizeof(line), f) != NULL) {
        sscanf(line, "CapEff: %31s", capeff);
        sscanf(line, "NoNewPrivs: %7s", nnp);
        sscanf(line, "Seccomp: %7s", seccomp);
    }
    fclose(f);
    char what[128];
    snprintf(what, sizeof(what), "uid=%u,gid=%u,capeff=%s,nnp=%s,seccomp=%s", getuid(), getgid(), capeff, nnp,
             seccomp);
    result("identity", what);
}

/* fds-inherited none|N: descriptors other than 0-2 the workload was started with (a host namespace, a dir). */
static void probe_inherited_fds(void)
{
    int count = 0;
    for (int fd = 3; fd < 1024; fd++) {
        if (fcntl(fd, F_GETFD) >= 0) {
            count++;
        }
    }
    char what[32];
    snprintf(what, sizeof(what), "%d", count);
    result("fds-inherited", count == 0 ? "none" : what);
}

/* ---- ptrace and other cross-process access to PID 1 (actord-init), the only process outside us ---- */

static void probe_ptrace(void)
{
    report("ptrace-attach-init", ptrace(PTRACE_ATTACH, 1, 0, 0));
    report("ptrace-seize-init", ptrace(PTRACE_SEIZE, 1, 0, 0));
    int status;
    pid_t child = fork();
    if (child == 0) {
        if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0) {
            _exit(errno);
        }
        execl("/bin/true", "true", (char *) NULL);
        _exit(255);
    }
    if (child < 0 || waitpid(child, &status, 0) < 0) {
        setup_failed("ptrace-traceme-exec", errno);
    } else if (WIFSTOPPED(status)) {
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
        result("ptrace-traceme-exec", "ok");
    } else {
        result("ptrace-traceme-exec", WIFEXITED(status) ? errname(WEXITSTATUS(status)) : "setup-signaled");
    }
    char buf[16];
    struct iovec local = { buf, sizeof(buf) }, remote = { (void *) 0x400000, sizeof(buf) };
    report("process_vm_readv-init", syscall(SYS_process_vm_readv, 1, &local, 1, &remote, 1, 0));
    report("process_vm_writev-init", syscall(SYS_process_vm_writev, 1, &local, 1, &remote, 1, 0));
    report("kcmp-init", syscall(SYS_kcmp, 1, getpid(), 0 /* KCMP_FILE */, 0, 0));
    int pidfd = (int) syscall(SYS_pidfd_open, 1, 0);
    if (pidfd < 0) {
        setup_failed("pidfd_getfd-init", errno);
    } else {
        report("pidfd_getfd-init", syscall(SYS_pidfd_getfd, pidfd, 0, 0));
        close(pidfd);
    }
    report("open-init-mem", open("/proc/1/mem", O_RDWR | O_CLOEXEC));
    report("open-init-exe-write", open("/proc/1/exe", O_WRONLY | O_CLOEXEC));
    report("open-init-root", open("/proc/1/root/..", O_RDONLY | O_DIRECTORY | O_CLOEXEC) < 0 ? -1 : 0);
}

/* ---- kernel interfaces: bpf, keys, io_uring, file handles, kexec, modules, perf, userfaultfd ---- */

static void probe_kernel_interfaces(void)
{
    union bpf_attr map = { .map_type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 1 };
    report("bpf-map-create", syscall(SYS_bpf, BPF_MAP_CREATE, &map, sizeof(map)));
    struct bpf_insn prog[] = {
        { .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
        { .code = BPF_JMP | BPF_EXIT },
    };
    union bpf_attr load = { .prog_type = BPF_PROG_TYPE_SOCKET_FILTER, .insns = (uintptr_t) prog,
                            .insn_cnt = 2, .license = (uintptr_t) "GPL" };
    report("bpf-prog-load", syscall(SYS_bpf, BPF_PROG_LOAD, &load, sizeof(load)));

    report("add_key", syscall(SYS_add_key, "user", "escape", "x", 1, KEY_SPEC_PROCESS_KEYRING));
    report("request_key", syscall(SYS_request_key, "user", "escape", NULL, KEY_SPEC_PROCESS_KEYRING));
    report("keyctl-session", syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL));
    report("keyctl-user-keyring", syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING, 0));

    struct io_uring_params params;
    memset(&params, 0, sizeof(params));
    report("io_uring_setup", syscall(SYS_io_uring_setup, 1, &params));
    report("io_uring_enter", syscall(SYS_io_uring_enter, -1, 0, 0, 0, NULL, 0));
    report("io_uring_register", syscall(SYS_io_uring_register, -1, 0, NULL, 0));

    struct {
        struct file_handle h;
        unsigned char bytes[128];
    } handle = { .h = { .handle_bytes = 128 } };
    int mount_id;
    report("name_to_handle_at", syscall(SYS_name_to_handle_at, AT_FDCWD, "/", &handle.h, &mount_id, 0));
    /* "shocker": a guessed handle (ext4/overlay inode 2, the root of a filesystem) opened from any fd. */
    struct {
        struct file_handle h;
        uint32_t ino[2];
    } guessed = { .h = { .handle_bytes = 8, .handle_type = 1 }, .ino = { 2, 0 } };
    int root = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    report("open_by_handle_at", syscall(SYS_open_by_handle_at, root, &guessed.h, O_RDONLY));
    close(root);

    report("kexec_load", syscall(SYS_kexec_load, 0, 0, NULL, KEXEC_ARCH_DEFAULT));
    report("kexec_file_load", syscall(SYS_kexec_file_load, -1, -1, 0, "", KEXEC_FILE_NO_INITRAMFS));
    static const char not_a_module[64];
    report("init_module", syscall(SYS_init_module, not_a_module, sizeof(not_a_module), ""));
    int busybox = open("/bin/busybox", O_RDONLY | O_CLOEXEC);
    report("finit_module", syscall(SYS_finit_module, busybox, "", 0));
    close(busybox);
    report("delete_module", syscall(SYS_delete_module, "actord_escape_none", O_NONBLOCK));

    struct perf_event_attr pe = { .type = PERF_TYPE_SOFTWARE, .size = sizeof(pe),
                                  .config = PERF_COUNT_SW_CPU_CLOCK, .disabled = 1 };
    report("perf_event_open", syscall(SYS_perf_event_open, &pe, 0, -1, -1, 0));
    report("userfaultfd", syscall(SYS_userfaultfd, O_CLOEXEC));
}

/* ---- host-wide state: time, reboot, swap, accounting, quotas, hostname, I/O ports, the kernel log ---- */

static void probe_host_state(void)
{
    /* personality's ADDR_NO_RANDOMIZE and READ_IMPLIES_EXEC would weaken the address space */
    report("personality-addr-no-randomize", syscall(SYS_personality, 0x0040000));
    report("personality-read-implies-exec", syscall(SYS_personality, 0x0400000));
    /* an invalid command: a reboot that got past every check would answer EINVAL, not reboot */
    report("reboot", syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, 0, NULL));
    report("swapon", syscall(SYS_swapon, "/tmp/escape-swap", 0));
    report("swapoff", syscall(SYS_swapoff, "/tmp/escape-swap"));
    struct timeval tv;
    gettimeofday(&tv, NULL);
    report("settimeofday", settimeofday(&tv, NULL));
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    report("clock_settime", clock_settime(CLOCK_REALTIME, &ts));
    struct timex tx = { .modes = 0 };
    report("adjtimex", syscall(SYS_adjtimex, &tx));
    report("acct", syscall(SYS_acct, "/tmp/escape-acct"));
    report("quotactl", syscall(SYS_quotactl, QCMD(Q_SYNC, USRQUOTA), "/dev/null", 0, NULL));
    char buf[64];
    report("lookup_dcookie", syscall(SYS_lookup_dcookie, 0ULL, buf, sizeof(buf)));
    report("sethostname", sethostname("escape", 6));
    report("setdomainname", setdomainname("escape", 6));
    report("iopl", syscall(SYS_iopl, 3));
    report("ioperm", syscall(SYS_ioperm, 0x80, 1, 1));
    report("syslog-read", syscall(SYS_syslog, 3 /* SYSLOG_ACTION_READ_ALL */, buf, sizeof(buf)));
    report("vmsplice", syscall(SYS_vmsplice, -1, NULL, 0, 0));
    report("fanotify_init", syscall(SYS_fanotify_init, 0, O_RDONLY));
}

/* ---- raw sockets: none without CAP_NET_RAW; with it, only the run's own namespace (lo) would be seen ---- */

static void probe_sockets(void)
{
    int packet = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
    report("raw-packet", packet);
    if (packet >= 0) {
        /* ifindex 2 is the host's first real interface; in the run's namespace there is only lo (1) */
        struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = 2 };
        report("raw-packet-bind-host-if", bind(packet, (struct sockaddr *) &ll, sizeof(ll)));
        close(packet);
    } else {
        report("raw-packet-bind-host-if", -1);
    }
    int raw = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
    report("raw-ip", raw);
    if (raw >= 0) {
        /* TEST-NET-3: nothing routes there from an isolated namespace */
        struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0xCB007101) };
        char packet_bytes[20] = { 0x45 };
        report("raw-ip-send-outside", sendto(raw, packet_bytes, sizeof(packet_bytes), 0,
                                              (struct sockaddr *) &to, sizeof(to)));
        close(raw);
    } else {
        report("raw-ip-send-outside", -1);
    }
    int raw6 = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
    report("raw-ip6", raw6);
    if (raw6 >= 0) {
        close(raw6);
    }
    struct if_nameindex *ifs = if_nameindex();
    if (ifs == NULL) {
        setup_failed("interfaces", errno);
    } else {
        char names[256] = "";
        for (struct if_nameindex *i = ifs; i->if_index != 0; i++) {
            snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", *names ? "," : "", i->if_name);
        }
        if_freenameindex(ifs);
        result("interfaces", names);
    }
    /* CAP_NET_ADMIN: set lo's flags to what they are (a no-op if it were allowed) */
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    strcpy(ifr.ifr_name, "lo");
    if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
        setup_failed("net-admin-lo-flags", errno);
    } else {
        report("net-admin-lo-flags", ioctl(s, SIOCSIFFLAGS, &ifr));
    }
    if (s >= 0) {
        close(s);
    }
}

/* ---- /proc and /sys: opened for writing only, masked paths are /dev/null ---- */

static void probe_proc_sys(void)
{
    probe_open("proc-sys-core-pattern", "/proc/sys/kernel/core_pattern", O_WRONLY);
    probe_open("proc-sys-modprobe", "/proc/sys/kernel/modprobe", O_WRONLY);
    probe_open("proc-sys-sysrq", "/proc/sys/kernel/sysrq", O_WRONLY);
    probe_open("proc-sys-vm-drop-caches", "/proc/sys/vm/drop_caches", O_WRONLY);
    probe_open("proc-sys-vm-overcommit", "/proc/sys/vm/overcommit_memory", O_WRONLY);
    probe_open("proc-sysrq-trigger", "/proc/sysrq-trigger", O_WRONLY);
    probe_open("proc-kcore", "/proc/kcore", O_RDONLY);
    probe_open("proc-kmsg", "/proc/kmsg", O_RDONLY);
    probe_open("proc-keys", "/proc/keys", O_RDONLY);
    probe_open("proc-timer-list", "/proc/timer_list", O_RDONLY);
    int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        setup_failed("proc-oom-score-adj-lower", errno);
    } else {
        report("proc-oom-score-adj-lower", write(fd, "-1000", 5));
        close(fd);
    }
    probe_open("sys-kernel-profiling", "/sys/kernel/profiling", O_WRONLY);
    probe_open("sys-module-param", "/sys/module/printk/parameters/time", O_WRONLY);
    probe_open("sys-bus-drivers-probe", "/sys/bus/platform/drivers_probe", O_WRONLY);
    probe_open("sys-class-net-lo-mtu", "/sys/class/net/lo/mtu", O_WRONLY);
    report("sys-fs-cgroup-mkdir", mkdir("/sys/fs/cgroup/escape", 0755));
    probe_open("sys-fs-cgroup-procs", "/sys/fs/cgroup/cgroup.procs", O_WRONLY);
}

/* ---- cgroups: a fresh cgroupfs (v2, or v1 with a release_agent), our own place in the tree ---- */

static void probe_cgroups(void)
{
    report("mount-cgroup2", mount("cgroup2", "/tmp/escape-mnt", "cgroup2", 0, NULL));
    report("mount-cgroup-v1-release-agent", mount("cgroup", "/tmp/escape-mnt", "cgroup", 0,
                                                  "none,name=escape,release_agent=/tmp/escape-agent"));
    FILE *f = fopen("/proc/self/mountinfo", "re");
    if (f == NULL) {
        setup_failed("cgroupfs-mounted", errno);
    } else {
        char line[1024];
        int cgroupfs = 0;
        while (fgets(line, sizeof(line), f) != NULL) {
            char *sep = strstr(line, " - ");
            cgroupfs += sep != NULL && (strncmp(sep, " - cgroup ", 10) == 0 || strncmp(sep, " - cgroup2 ", 11) == 0);
        }
        fclose(f);
        result("cgroupfs-mounted", cgroupfs == 0 ? "none" : "some");
    }
    f = fopen("/proc/self/cgroup", "re");
    if (f == NULL) {
        setup_failed("cgroup-path", errno);
    } else {
        char line[1024];
        int outside = 0, lines = 0;
        while (fgets(line, sizeof(line), f) != NULL) {
            lines++;
            line[strcspn(line, "\n")] = 0;
            size_t len = strlen(line);
            outside += len < 2 || strcmp(line + len - 2, ":/") != 0;
        }
        fclose(f);
        result("cgroup-path", lines == 0 ? "setup-empty" : outside == 0 ? "root" : "outside");
    }
}

/* ---- device nodes: CAP_MKNOD is Docker's default, so root makes them, but every writable mount is nodev ---- */

static void probe_device(const char *where, const char *path, mode_t type, dev_t dev)
{
    char name[64];
    unlink(path);
    snprintf(name, sizeof(name), "mknod-%s", where);
    report(name, mknod(path, type | 0600, dev));
    snprintf(name, sizeof(name), "open-%s", where);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    report(name, fd);
    if (fd >= 0) {
        close(fd);
    }
    unlink(path);
}

static void probe_devices(void)
{
    probe_device("block-tmp", "/tmp/escape-sda", S_IFBLK, makedev(8, 0));
    probe_device("block-dev", "/dev/escape-sda", S_IFBLK, makedev(8, 0));
    probe_device("char-mem-shm", "/dev/shm/escape-mem", S_IFCHR, makedev(1, 1));
    probe_device("char-kmsg-root", "/escape-kmsg", S_IFCHR, makedev(1, 11));
    probe_open("open-dev-mem", "/dev/mem", O_RDONLY);
    probe_open("open-dev-kmsg", "/dev/kmsg", O_RDONLY);
}

/* ---- chroot: the classic escape (chroot into a subdirectory, climb from a directory fd kept outside) ---- */

static void probe_chroot(void)
{
    struct stat before;
    int pipefd[2];
    if (stat("/", &before) < 0 || pipe2(pipefd, O_CLOEXEC) < 0) {
        setup_failed("chroot-escape", errno);
        return;
    }
    mkdir("/tmp/escape-jail", 0755);
    pid_t child = fork();
    if (child == 0) {
        const char *what = "contained";
        int outside = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct stat after;
        if (chroot("/tmp/escape-jail") < 0) {
            what = errname(errno);
        } else {
            if (fchdir(outside) < 0) {
                _exit(1);
            }
            for (int i = 0; i < 256; i++) {
                if (chdir("..") < 0) {
                    _exit(1);
                }
            }
            if (chroot(".") < 0 || stat("/", &after) < 0) {
                _exit(1);
            }
            if (after.st_dev != before.st_dev || after.st_ino != before.st_ino) {
                what = "escaped";
            }
        }
        ssize_t n = write(pipefd[1], what, strlen(what));
        _exit(n < 0);
    }
    close(pipefd[1]);
    char what[32] = "";
    ssize_t n = child < 0 ? -1 : read(pipefd[0], what, sizeof(what) - 1);
    close(pipefd[0]);
    if (child > 0) {
        waitpid(child, NULL, 0);
    }
    if (n <= 0) {
        setup_failed("chroot-escape", child < 0 ? errno : EIO);
    } else {
        what[n] = 0;
        result("chroot-escape", what);
    }
    rmdir("/tmp/escape-jail");
}

/* ---- credentials: back to uid 0, more capabilities ---- */

static void probe_credentials(void)
{
    report("setresuid-0", syscall(SYS_setresuid, 0, 0, 0));
    report("setresgid-0", syscall(SYS_setresgid, 0, 0, 0));
    gid_t none[1] = { 0 };
    report("setgroups-0", syscall(SYS_setgroups, 1, none));
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct all[2] = { { ~0u, ~0u, 0 }, { ~0u, ~0u, 0 } };
    report("capset-all", syscall(SYS_capset, &header, all));
    report("cap-ambient-raise-sys-admin", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_SYS_ADMIN, 0, 0));
}

/* ---- the host's scheduler and limits: real-time classes, negative nice, hard limits ---- */

static void probe_limits(void)
{
    struct sched_param rt = { .sched_priority = 1 };
    report("sched-fifo", sched_setscheduler(0, SCHED_FIFO, &rt));
    report("nice-raise", setpriority(PRIO_PROCESS, 0, -20));
    /* ioprio_set(IOPRIO_WHO_PROCESS, self, IOPRIO_CLASS_RT << 13 | level 0) */
    report("ioprio-rt", syscall(SYS_ioprio_set, 1, 0, 1 << 13));
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) < 0) {
        setup_failed("rlimit-raise-nofile", errno);
    } else {
        limit.rlim_max = limit.rlim_max == RLIM_INFINITY ? RLIM_INFINITY : limit.rlim_max + 1;
        limit.rlim_cur = limit.rlim_max;
        report("rlimit-raise-nofile", setrlimit(RLIMIT_NOFILE, &limit));
    }
}

/* ---- the rest of PID 1: its descriptors (fd 4 is the exit-status file); binfmt_misc; the host's audit log ---- */

static void probe_init_and_audit(void)
{
    char link[64];
    report("readlink-init-exit-status", readlink("/proc/1/fd/4", link, sizeof(link)));
    probe_open("open-init-exit-status", "/proc/1/fd/4", O_WRONLY);
    probe_open("proc-binfmt-misc-register", "/proc/sys/fs/binfmt_misc/register", O_WRONLY);
    /* an AUDIT_USER message (CAP_AUDIT_WRITE, in Docker's set) would land in the host's audit log */
    int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
    if (s < 0) {
        report("audit-user-message", -1);
        return;
    }
    struct {
        struct nlmsghdr header;
        char text[16];
    } message = { .header = { .nlmsg_len = sizeof(message), .nlmsg_type = AUDIT_USER,
                              .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK, .nlmsg_seq = 1 }, .text = "escape" };
    struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
    struct {
        struct nlmsghdr header;
        struct nlmsgerr error;
    } ack;
    struct timeval timeout = { 5, 0 };
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    if (sendto(s, &message, sizeof(message), 0, (struct sockaddr *) &kernel, sizeof(kernel)) < 0) {
        report("audit-user-message", -1);
    } else if (recv(s, &ack, sizeof(ack), 0) < (ssize_t) sizeof(ack) || ack.header.nlmsg_type != NLMSG_ERROR) {
        setup_failed("audit-user-message", errno ? errno : EPROTO);
    } else {
        errno = -ack.error.error;
        report("audit-user-message", ack.error.error == 0 ? 0 : -1);
    }
    close(s);
}

/*
 * The MAC of IFACE's default gateway from the kernel's tables (/proc/net/route, /proc/net/arp), or the
 * broadcast MAC when it is not known yet (a router forwards only frames addressed to it; a peer that holds
 * the address itself also takes a broadcast frame).
 */
static void gateway_mac(const char *iface, unsigned char mac[ETH_ALEN])
{
    memset(mac, 0xff, ETH_ALEN);
    FILE *f = fopen("/proc/net/route", "re");
    char line[256], dev[IFNAMSIZ + 1], ip[32];
    unsigned int destination, gateway = 0, hex[ETH_ALEN];
    while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
        if (sscanf(line, "%16s %x %x", dev, &destination, &gateway) == 3 && destination == 0
            && strcmp(dev, iface) == 0) {
            break;
        }
        gateway = 0;
    }
    if (f != NULL) {
        fclose(f);
    }
    if (gateway == 0 || (f = fopen("/proc/net/arp", "re")) == NULL) {
        return;
    }
    struct in_addr gw = { gateway };
    snprintf(ip, sizeof(ip), "%s ", inet_ntoa(gw));
    while (fgets(line, sizeof(line), f) != NULL) {
        if (strncmp(line, ip, strlen(ip)) == 0
            && sscanf(line, "%*s %*s %*s %x:%x:%x:%x:%x:%x", &hex[0], &hex[1], &hex[2], &hex[3], &hex[4],
                      &hex[5]) == 6) {
            for (int i = 0; i < ETH_ALEN; i++) {
                mac[i] = (unsigned char) hex[i];
            }
        }
    }
    fclose(f);
}

/*
 * raw-udp IFACE ADDRESS PORT: one UDP datagram ("escape") to ADDRESS:PORT, built here and sent on a packet
 * socket to IFACE's gateway (gateway_mac): the frame leaves without passing the IP stack's netfilter hooks,
 * where a run's egress policy sits. Prints "probe raw-udp ok" or the errno. Needs CAP_NET_RAW:
 * EgressPolicyIT runs it as root in a run's stand-in namespace, EgressIT in a run.
 */
static int raw_udp(const char *iface, const char *address, int port)
{
    int s = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_IP));
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", iface);
    int probe = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0 || probe < 0 || ioctl(probe, SIOCGIFADDR, &ifr) < 0) {
        report("raw-udp", -1);
        return 1;
    }
    struct in_addr source = ((struct sockaddr_in *) &ifr.ifr_addr)->sin_addr, destination;
    if (ioctl(probe, SIOCGIFINDEX, &ifr) < 0 || inet_pton(AF_INET, address, &destination) != 1) {
        setup_failed("raw-udp", errno);
        return 1;
    }
    unsigned char packet[20 + 8 + 6] = { 0x45, 0, 0, sizeof(packet), 0x12, 0x34, 0, 0, 64, IPPROTO_UDP };
    memcpy(packet + 12, &source, 4);
    memcpy(packet + 16, &destination, 4);
    uint32_t sum = 0;
    for (int i = 0; i < 20; i += 2) {
        sum += (uint32_t) packet[i] << 8 | packet[i + 1];
    }
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    packet[10] = (unsigned char) (~sum >> 8);
    packet[11] = (unsigned char) ~sum;
    unsigned char *udp = packet + 20;
    udp[0] = 40000 >> 8, udp[1] = 40000 & 0xff, udp[2] = (unsigned char) (port >> 8), udp[3] = port & 0xff;
    udp[5] = 8 + 6; /* length; checksum 0: none (IPv4) */
    memcpy(udp + 8, "escape", 6);
    struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP),
                              .sll_ifindex = ifr.ifr_ifindex, .sll_halen = ETH_ALEN };
    gateway_mac(iface, to.sll_addr);
    report("raw-udp", sendto(s, packet, sizeof(packet), 0, (struct sockaddr *) &to, sizeof(to)));
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "raw-udp") == 0) {
        return raw_udp(argv[2], argv[3], atoi(argv[4]));
    }
    probe_identity();
    probe_own_namespaces(argc, argv);
    probe_inherited_fds();
    probe_host_reach(argc, argv);
    probe_mounts();
    probe_namespaces();
    probe_ptrace();
    probe_kernel_interfaces();
    probe_host_state();
    probe_sockets();
    probe_proc_sys();
    probe_cgroups();
    probe_devices();
    probe_chroot();
    probe_credentials();
    probe_limits();
    probe_init_and_audit();
    rmdir("/tmp/escape-mnt");
    printf("escape: done %d\n", probes);
    return 0;
}
