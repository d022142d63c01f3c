package io.actord.runtime;

import io.actord.runtime.testing.TestRuntime;
import io.actord.runtime.userns.UserNamespaceMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The escape battery of issue #20: {@code /bin/escape} (runtime/src/test/c/escape.c) tries every way out of
 * a run we know of (mounts, setns/unshare/clone, ptrace, bpf, keys, io_uring, file handles, kexec, modules,
 * raw sockets beyond the run's namespace, /proc and /sys writes, cgroup escapes, device nodes, chroot, time,
 * reboot, swap, credentials) from inside a real container, once per {@link Variant} in one container each,
 * and prints one line per probe. Every probe in {@link #EXPECTED} must have run and answered exactly as
 * listed: a probe that could not run ("setup-…"), a missing or an unknown probe fails the test, and so does
 * a probe that succeeded where it must not.
 */
@Tag("privileged")
class EscapeBatteryIT {
    /** Who runs the battery inside the container. */
    enum Variant {
        ROOT(ContainerSpec.User.ROOT, UserNamespaceMode.HOST, null),
        USER(new ContainerSpec.User(1000, 1000, List.of()), UserNamespaceMode.HOST, null),
        ROOT_IN_USERNS(ContainerSpec.User.ROOT, UserNamespaceMode.AUTO, ROOT),
        USER_IN_USERNS(new ContainerSpec.User(1000, 1000, List.of()), UserNamespaceMode.AUTO, USER);

        final ContainerSpec.User user;
        final UserNamespaceMode userNamespace;
        /** Whose overrides apply where this variant's table has none. */
        final Variant like;

        Variant(ContainerSpec.User user, UserNamespaceMode userNamespace, Variant like) {
            this.user = user;
            this.userNamespace = userNamespace;
            this.like = like;
        }

        /** The name the table's overrides use: ROOT_IN_USERNS is root-in-userns. */
        String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * Per probe: the answer every variant gets, then {@code variant=answer} where a variant differs. An
     * answer is an errno name (the call was refused with it), {@code ok} (it succeeded: harmless there, as
     * the comment says) or the probe's own word. {@code host:PATH} marks a
     * probe of a kernel file some kernels lack (CONFIG_MAGIC_SYSRQ, CONFIG_MODULES, CONFIG_TIME_NS,
     * /proc/kcore; the cgroup-v2 guest's UML kernel has no /sys/kernel/profiling): where this kernel has no
     * PATH, every variant must answer ENOENT. A new variant is one line in {@link Variant}, plus an
     * override on the rows where it answers differently from the variant it is {@code like}.
     */
    static final String EXPECTED = """
            identity uid=1000,gid=1000,capeff=0000000000000000,nnp=1,seccomp=2 \
                root=uid=0,gid=0,capeff=00000000880405fb,nnp=1,seccomp=2
            # the run's own namespaces (the time one is the host's; the user one too without a user namespace)
            ns-mnt                          own
            ns-uts                          own
            ns-ipc                          own
            ns-net                          own
            ns-pid                          own
            ns-cgroup                       own
            ns-user                         host        root-in-userns=own  user-in-userns=own
            ns-time                         host                        host:/proc/self/ns/time
            fds-inherited                   none
            # the host from the run: its loopback, its processes, the daemon's terminal
            connect-host-loopback           ECONNREFUSED
            kill-host-pid                   ESRCH
            open-dev-tty                    ENXIO
            tiocsti-stdio                   ENOTTY
            # mounts: seccomp refuses mount(2), umount2(2), pivot_root(2) and the new mount API
            mount-tmpfs                     EPERM
            mount-proc                      EPERM
            mount-bind-root                 EPERM
            mount-remount-root-rw           EPERM
            mount-remount-proc-sys-rw       EPERM
            mount-move-proc                 EPERM
            mount-make-shared               EPERM
            umount-proc                     EPERM
            umount-proc-sys                 EPERM
            umount-masked-sysrq             EPERM
            open_tree                       EPERM
            fsopen                          EPERM
            fspick                          EPERM
            fsmount                         EPERM
            move_mount                      EPERM
            mount_setattr                   EPERM
            pivot_root                      EPERM
            # namespaces: setns and unshare refused, clone with CLONE_NEW* refused, clone3 unknown
            setns-self-mnt                  EPERM
            setns-self-uts                  EPERM
            setns-self-ipc                  EPERM
            setns-self-net                  EPERM
            setns-self-pid                  EPERM
            setns-self-cgroup               EPERM
            setns-self-user                 EPERM
            setns-self-time                 EPERM                       host:/proc/self/ns/time
            setns-init-mnt                  EACCES
            setns-init-net                  EACCES
            unshare-mnt                     EPERM
            unshare-uts                     EPERM
            unshare-ipc                     EPERM
            unshare-net                     EPERM
            unshare-pid                     EPERM
            unshare-cgroup                  EPERM
            unshare-user                    EPERM
            unshare-time                    EPERM
            clone-mnt                       EPERM
            clone-uts                       EPERM
            clone-ipc                       EPERM
            clone-net                       EPERM
            clone-pid                       EPERM
            clone-cgroup                    EPERM
            clone-user                      EPERM
            clone3-user                     ENOSYS
            # ptrace and cross-process access to PID 1 (actord-init, the only process outside the workload;
            # its /proc/1 links, ns/* included, answer EACCES to the workload: it is not dumpable)
            ptrace-attach-init              EPERM
            ptrace-seize-init               EPERM
            ptrace-traceme-exec             EPERM
            process_vm_readv-init           EPERM
            process_vm_writev-init          EPERM
            kcmp-init                       EPERM
            pidfd_getfd-init                EPERM
            open-init-mem                   EACCES
            open-init-exe-write             EACCES
            open-init-root                  EACCES
            # kernel interfaces
            bpf-map-create                  EPERM
            bpf-prog-load                   EPERM
            add_key                         EPERM
            request_key                     EPERM
            keyctl-session                  EPERM
            keyctl-user-keyring             EPERM
            io_uring_setup                  EPERM
            io_uring_enter                  EPERM
            io_uring_register               EPERM
            name_to_handle_at               EPERM
            open_by_handle_at               EPERM
            kexec_load                      EPERM
            kexec_file_load                 EPERM
            init_module                     EPERM
            finit_module                    EPERM
            delete_module                   EPERM
            perf_event_open                 EPERM
            userfaultfd                     EPERM
            # host-wide state
            personality-addr-no-randomize   ENOSYS
            personality-read-implies-exec   ENOSYS
            reboot                          EPERM
            swapon                          EPERM
            swapoff                         EPERM
            settimeofday                    EPERM
            clock_settime                   EPERM
            adjtimex                        EPERM
            acct                            EPERM
            quotactl                        EPERM
            lookup_dcookie                  EPERM
            sethostname                     EPERM
            setdomainname                   EPERM
            iopl                            EPERM
            ioperm                          EPERM
            syslog-read                     EPERM
            vmsplice                        EPERM
            fanotify_init                   EPERM
            # raw sockets: no run has CAP_NET_RAW (a packet socket's frames pass no egress rule: EgressPolicyIT),
            # and the run's namespace holds lo alone
            raw-packet                      EPERM
            raw-packet-bind-host-if         EPERM
            raw-ip                          EPERM
            raw-ip-send-outside             EPERM
            raw-ip6                         EPERM
            interfaces                      lo
            net-admin-lo-flags              EPERM
            # /proc and /sys: /proc/sys a read-only bind (EROFS for root, EACCES before that for a user), /sys a
            # read-only mount (EROFS for all), masked paths /dev/null
            proc-sys-core-pattern           EACCES      root=EROFS root-in-userns=EACCES
            proc-sys-modprobe               EACCES      root=EROFS root-in-userns=EACCES      host:/proc/sys/kernel/modprobe
            proc-sys-sysrq                  EACCES      root=EROFS root-in-userns=EACCES      host:/proc/sys/kernel/sysrq
            proc-sys-vm-drop-caches         EACCES      root=EROFS root-in-userns=EACCES
            proc-sys-vm-overcommit          EACCES      root=EROFS root-in-userns=EACCES
            proc-sysrq-trigger              masked                      host:/proc/sysrq-trigger
            proc-kcore                      masked                      host:/proc/kcore
            proc-kmsg                       EACCES      root=EPERM root-in-userns=EACCES
            proc-keys                       masked
            proc-timer-list                 masked
            proc-oom-score-adj-lower        EACCES
            sys-kernel-profiling            EROFS                       host:/sys/kernel/profiling
            sys-module-param                EROFS                       host:/sys/module/printk/parameters/time
            sys-bus-drivers-probe           EROFS                       host:/sys/bus/platform/drivers_probe
            sys-class-net-lo-mtu            EROFS
            sys-fs-cgroup-mkdir             ENOENT
            sys-fs-cgroup-procs             ENOENT
            # cgroups: no cgroupfs inside, none to mount, and the run sees its own cgroup as /
            mount-cgroup2                   EPERM
            mount-cgroup-v1-release-agent   EPERM
            cgroupfs-mounted                none
            cgroup-path                     root
            # device nodes: root may mknod (CAP_MKNOD), but no writable mount lets it open one
            mknod-block-tmp                 EPERM       root=ok root-in-userns=EPERM
            open-block-tmp                  ENOENT      root=EACCES root-in-userns=ENOENT
            mknod-block-dev                 EACCES      root=ok root-in-userns=EACCES
            open-block-dev                  ENOENT      root=EACCES root-in-userns=ENOENT
            mknod-char-mem-shm              EPERM       root=ok root-in-userns=EPERM
            open-char-mem-shm               ENOENT      root=EACCES root-in-userns=ENOENT
            mknod-char-kmsg-root            EACCES      root=ok root-in-userns=EPERM
            open-char-kmsg-root             ENOENT      root=EACCES root-in-userns=ENOENT
            open-dev-mem                    ENOENT
            open-dev-kmsg                   ENOENT
            # chroot: root may chroot (CAP_SYS_CHROOT), but climbing out ends at the run's own root
            chroot-escape                   EPERM       root=contained
            # credentials
            setresuid-0                     EPERM       root=ok
            setresgid-0                     EPERM       root=ok
            setgroups-0                     EPERM       root=ok
            capset-all                      EPERM
            cap-ambient-raise-sys-admin     EPERM
            # the host's scheduler and limits: no real-time class, no negative nice, no hard limit raised
            sched-fifo                      EPERM
            nice-raise                      EACCES
            ioprio-rt                       EPERM
            rlimit-raise-nofile             EPERM
            # PID 1's descriptors (fd 4: its exit-status file), binfmt_misc, the host's audit log (no run has
            # CAP_AUDIT_WRITE, which let root in a run write records into it)
            readlink-init-exit-status       EACCES
            open-init-exit-status           EACCES
            proc-binfmt-misc-register       ENOENT
            audit-user-message              EPERM root-in-userns=ECONNREFUSED user-in-userns=ECONNREFUSED
            """;

    private static final List<String> HOST_NAMESPACES = List.of("mnt", "uts", "ipc", "net", "pid", "cgroup",
            "user", "time");
    private static final Pattern PROBE = Pattern.compile("probe (\\S+) (\\S+)");
    private static final Pattern DONE = Pattern.compile("escape: done (\\d+)");

    private static TestRuntime rt;

    @BeforeAll
    static void open() {
        rt = TestRuntime.open(EscapeBatteryIT.class);
    }

    @AfterAll
    static void close() throws Exception {
        if (rt != null) {
            rt.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void shouldRefuseEveryEscapeProbe(Variant variant) {
        Map<String, String> expected = expectations(variant);
        String out;
        try (ServerSocket hostLoopback = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<String> command = new ArrayList<>(List.of("/bin/escape", "host-port=" + hostLoopback.getLocalPort(),
                    "host-pid=" + ProcessHandle.current().pid()));
            HOST_NAMESPACES.stream().filter(ns -> Files.exists(Path.of("/proc/self/ns", ns)))
                    .forEach(ns -> command.add("ns." + ns + "=" + hostNamespace(ns)));
            out = rt.run(rt.spec("escape-" + variant.key(), command.toArray(String[]::new)).user(variant.user)
                    .userNamespace(variant.userNamespace));
        } catch (ContainerException e) {
            assumeFalse(variant.userNamespace == UserNamespaceMode.AUTO && e.getMessage().contains("idmapped"),
                    "SKIPPED EscapeBatteryIT " + variant.key() + ": the payload rootfs cannot be idmapped here: "
                            + e.getMessage());
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("listen on the host's loopback", e);
        }

        Map<String, String> answers = new LinkedHashMap<>();
        List<String> lines = Arrays.stream(out.split("\n")).map(String::strip).filter(l -> !l.isEmpty()).toList();
        for (String line : lines) {
            Matcher m = PROBE.matcher(line);
            if (m.matches() && answers.put(m.group(1), m.group(2)) != null) {
                throw new AssertionError("probe " + m.group(1) + " answered twice in " + out);
            }
        }
        Matcher done = DONE.matcher(lines.isEmpty() ? "" : lines.get(lines.size() - 1));
        assertTrue(done.matches(), "the battery ran to its end: " + out);
        assertEquals(answers.size(), Integer.parseInt(done.group(1)), "one line per probe: " + out);
        assertEquals(expected.keySet(), answers.keySet(), "the probes that ran are the table's");
        List<String> wrong = new ArrayList<>();
        expected.forEach((probe, expectedAnswer) -> {
            String answer = answers.get(probe);
            System.out.printf("EscapeBatteryIT %s: %-32s %s%n", variant.key(), probe, answer);
            if (!expectedAnswer.equals(answer)) {
                wrong.add(probe + " answered " + answer + ", expected " + expectedAnswer);
            }
        });
        assertEquals(List.of(), wrong, variant.key() + ": every probe refused as the table says");
    }

    /** The table's answers for one variant, in the table's order. */
    static Map<String, String> expectations(Variant variant) {
        Map<String, String> expected = new LinkedHashMap<>();
        Set<String> variants = Arrays.stream(Variant.values()).map(Variant::key).collect(Collectors.toSet());
        for (String row : EXPECTED.split("\n")) {
            String[] cells = row.strip().split("\\s+");
            if (cells[0].isEmpty() || cells[0].startsWith("#")) {
                continue;
            }
            String answer = cells[1];
            Map<String, String> overrides = new HashMap<>();
            boolean absent = false;
            for (int i = 2; i < cells.length; i++) {
                if (cells[i].startsWith("host:")) {
                    absent = !Files.exists(Path.of(cells[i].substring("host:".length())));
                    if (absent) {
                        System.out.println("EscapeBatteryIT: this kernel has no " + cells[i].substring(5)
                                + ", so " + cells[0] + " must answer ENOENT");
                    }
                    continue;
                }
                String[] override = cells[i].split("=", 2);
                if (override.length != 2 || !variants.contains(override[0])) {
                    throw new IllegalStateException("not a variant=answer override: " + cells[i] + " in " + row);
                }
                overrides.put(override[0], override[1]);
            }
            if (overrides.containsKey(variant.key())) {
                answer = overrides.get(variant.key());
            } else if (variant.like != null && overrides.containsKey(variant.like.key())) {
                answer = overrides.get(variant.like.key());
            }
            if (absent) {
                answer = "ENOENT";
            }
            if (expected.put(cells[0], answer) != null) {
                throw new IllegalStateException("probe listed twice: " + row);
            }
        }
        return expected;
    }

    /** The inode of the test JVM's (the host's) namespace of this type, from /proc/self/ns/NAME: "net:[N]". */
    private static String hostNamespace(String ns) {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/self/ns", ns)).toString();
            return link.substring(link.indexOf('[') + 1, link.indexOf(']'));
        } catch (IOException e) {
            throw new UncheckedIOException("read the host's " + ns + " namespace", e);
        }
    }
}
