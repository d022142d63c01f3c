package io.actord.runtime.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.actord.runtime.security.SeccompTable.Action;
import io.actord.runtime.security.SeccompTable.Allow;
import io.actord.runtime.security.SeccompTable.AllowIfArg0Clear;
import io.actord.runtime.security.SeccompTable.AllowIfArg0In;
import io.actord.runtime.security.SeccompTable.Deny;
import io.actord.runtime.security.SeccompTable.Entry;
import io.actord.runtime.sys.Errno;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Makes {@code seccomp-x86_64.txt} (see {@link SeccompTable}) from a maintained source rather than a list
 * typed here: podman's default seccomp profile as Debian ships it (golang-github-containers-common,
 * /usr/share/containers/seccomp.json, derived from moby's) and the x86_64 syscall numbers of the kernel
 * headers (linux-libc-dev, asm/unistd_64.h). Run by runtime/src/build/seccomp-table; SeccompTableTest checks
 * the checked-in file is what this makes from the installed packages.
 *
 * <p>The profile is read as libseccomp applies it: a rule counts when its {@code includes} hold and its
 * {@code excludes} do not for actord's capabilities (Capability.RUN_DEFAULT) on amd64; the first rule that
 * names a syscall without argument conditions decides (libseccomp keeps the first of two such rules);
 * ALLOW rules on args[0] == value add up to one conditional allow; a call the profile does not name gets
 * its {@code defaultErrnoRet}. Anything else in the profile (other operators, actions, minKernel) stops
 * the generator, so a new package version that needs more is looked at, not half-compiled.
 *
 * <p>Then actord's hardening, which replaces the profile's answer where it is weaker: podman leaves mount,
 * unshare, setns, ptrace, keyctl and more to the capabilities (its profile also serves rootless and nested
 * containers); actord denies them as its earlier deny-list did, and takes moby's rules for clone (no
 * namespace flags) and clone3 (ENOSYS: its flags sit behind a pointer the filter cannot read, so libc falls
 * back to clone, whose flags it can).
 */
public final class SeccompTableGenerator {
    public static final Path PROFILE = Path.of("/usr/share/containers/seccomp.json");
    public static final Path UNISTD_64 = Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h");

    /**
     * The capabilities the profile is read for: a run's ({@link Capability#RUN_DEFAULT}, what
     * SecurityProfile.defaults() keeps) and AUDIT_WRITE. For a set without AUDIT_WRITE podman's profile
     * answers socket(AF_NETLINK, *, NETLINK_AUDIT) with EINVAL, a rule on arguments 0 and 2 that the table
     * cannot express; such a socket is harmless without the capability, as the kernel refuses it every audit
     * message (EPERM: EscapeBatteryIT's audit-user-message).
     */
    static final Set<Capability> CAPABILITIES = withAuditWrite(Capability.RUN_DEFAULT);
    /** libseccomp's name for x86_64 in a profile's includes/excludes.arches (Go's GOARCH). */
    private static final String ARCH = "amd64";
    private static final String SOURCE_PROFILE = "profile";
    private static final String SOURCE_ACTORD = "actord";
    private static final String SOURCE_DEFAULT = "default";

    /** sched.h: CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET (moby's clone rule). */
    static final int CLONE_NAMESPACE_FLAGS = 0x7E02_0000;

    /** What the generator understands; a field outside these stops it. */
    private static final Set<String> PROFILE_FIELDS = Set.of("defaultAction", "defaultErrnoRet", "defaultErrno",
            "archMap", "syscalls");
    private static final Set<String> RULE_FIELDS = Set.of("names", "action", "args", "comment", "includes",
            "excludes", "errnoRet", "errno");

    /** Calls actord denies with EPERM whatever the profile says, grouped by why. */
    static final Map<String, List<String>> ACTORD_DENIED = actordDenied();

    private SeccompTableGenerator() {
    }

    /** Usage: SeccompTableGenerator OUTPUT_FILE (reads {@link #PROFILE} and {@link #UNISTD_64}). */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: SeccompTableGenerator OUTPUT_FILE");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        Files.createDirectories(out.getParent());
        Files.writeString(out, generate().format(), StandardCharsets.UTF_8);
        System.out.println("wrote " + out);
    }

    /** The table from the installed profile and headers, with their Debian package versions in the header. */
    public static SeccompTable generate() throws IOException {
        List<String> header = List.of(
                "# What actord's seccomp filter answers for each x86_64 syscall (SeccompTable, SeccompProgram).",
                "# Generated by runtime/src/build/seccomp-table (SeccompTableGenerator): regenerate, do not edit.",
                "# profile: " + PROFILE + " from " + Debian.packageOf(PROFILE) + " (podman's default, moby-derived)",
                "# numbers: " + UNISTD_64 + " from " + Debian.packageOf(UNISTD_64),
                "# capabilities: " + CAPABILITIES.stream().map(Enum::name).sorted().collect(Collectors.joining(" ")),
                "# Columns: number, name, action, source (profile: its rule for these capabilities; actord: actord's",
                "# hardening over it; default: the profile does not name the call, its default errno applies).",
                "# A number not listed (a gap, or above the last) is newer than these headers: ENOSYS.");
        JsonNode profile = new ObjectMapper().readTree(PROFILE.toFile());
        return generate(header, profile, syscallNumbers(Files.readString(UNISTD_64)));
    }

    static SeccompTable generate(List<String> header, JsonNode profile, Map<String, Integer> numbers) {
        Map<String, Entry> byName = fromProfile(profile, numbers);
        ACTORD_DENIED.values().stream().flatMap(List::stream)
                .forEach(name -> harden(byName, name, new Deny(Errno.EPERM)));
        harden(byName, "clone", new AllowIfArg0Clear(CLONE_NAMESPACE_FLAGS, Errno.EPERM));
        harden(byName, "clone3", new Deny(Errno.ENOSYS));
        TreeMap<Integer, Entry> entries = new TreeMap<>();
        byName.values().forEach(e -> entries.put(e.nr(), e));
        return new SeccompTable(header, entries);
    }

    /** {@code #define __NR_name number} lines of asm/unistd_64.h. */
    static Map<String, Integer> syscallNumbers(String unistd) {
        Map<String, Integer> numbers = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^#define __NR_(\\w+) (\\d+)$").matcher(unistd);
        while (m.find()) {
            numbers.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        if (numbers.isEmpty()) {
            throw new IllegalArgumentException("no __NR_ definitions in the syscall header");
        }
        return numbers;
    }

    private static Map<String, Entry> fromProfile(JsonNode profile, Map<String, Integer> numbers) {
        profile.fieldNames().forEachRemaining(field -> require(PROFILE_FIELDS.contains(field), "field " + field));
        require(profile.path("defaultAction").asText().equals("SCMP_ACT_ERRNO"),
                "defaultAction " + profile.path("defaultAction"));
        Errno fallback = errno(profile.path("defaultErrnoRet").asInt(Errno.EPERM.number()));
        Map<String, Action> unconditional = new HashMap<>();
        Map<String, List<Long>> arg0Values = new LinkedHashMap<>();
        for (JsonNode rule : profile.path("syscalls")) {
            if (!applies(rule)) {
                continue;
            }
            Action action = action(rule);
            for (JsonNode name : rule.path("names")) {
                if (!rule.path("args").isArray() || rule.path("args").isEmpty()) {
                    unconditional.putIfAbsent(name.asText(), action);
                } else {
                    require(action instanceof Allow, "conditional non-ALLOW rule for " + name);
                    arg0Values.computeIfAbsent(name.asText(), n -> new ArrayList<>()).add(arg0Equals(rule));
                }
            }
        }
        Map<String, Entry> byName = new LinkedHashMap<>();
        numbers.forEach((name, nr) -> {
            Action action = unconditional.get(name);
            List<Long> values = arg0Values.get(name);
            require(action == null || values == null || action instanceof Allow,
                    "both a conditional and an unconditional rule decide " + name);
            if (action == null && values != null) {
                action = new AllowIfArg0In(values, fallback);
            }
            byName.put(name, action == null ? new Entry(nr, name, new Deny(fallback), SOURCE_DEFAULT)
                    : new Entry(nr, name, action, SOURCE_PROFILE));
        });
        return byName;
    }

    private static void harden(Map<String, Entry> byName, String name, Action action) {
        Entry e = byName.get(name);
        require(e != null, "actord's hardening names " + name + ", which the syscall header does not have");
        if (!e.action().equals(action)) {
            byName.put(name, new Entry(e.nr(), name, action, SOURCE_ACTORD));
        }
    }

    private static Set<Capability> withAuditWrite(Set<Capability> capabilities) {
        EnumSet<Capability> all = EnumSet.copyOf(capabilities);
        all.add(Capability.AUDIT_WRITE);
        return Collections.unmodifiableSet(all);
    }

    /** The rule's includes hold and its excludes do not, for actord's capabilities on amd64. */
    private static boolean applies(JsonNode rule) {
        rule.fieldNames().forEachRemaining(field -> require(RULE_FIELDS.contains(field),
                "field " + field + " in the rule for " + rule.path("names")));
        for (String key : List.of("includes", "excludes")) {
            rule.path(key).fields().forEachRemaining(f -> require(f.getKey().equals("caps")
                            || f.getKey().equals("arches") || f.getValue().isContainerNode() && f.getValue().isEmpty(),
                    key + "." + f.getKey() + " in the rule for " + rule.path("names")));
        }
        JsonNode inc = rule.path("includes");
        JsonNode exc = rule.path("excludes");
        boolean included = all(inc.path("caps"), SeccompTableGenerator::hasCap)
                && (inc.path("arches").isEmpty() || any(inc.path("arches"), ARCH::equals));
        boolean excluded = any(exc.path("caps"), SeccompTableGenerator::hasCap)
                || any(exc.path("arches"), ARCH::equals);
        return included && !excluded;
    }

    private static Action action(JsonNode rule) {
        String action = rule.path("action").asText();
        return switch (action) {
            case "SCMP_ACT_ALLOW" -> new Allow();
            case "SCMP_ACT_ERRNO" -> new Deny(errno(rule.path("errnoRet").asInt(Errno.EPERM.number())));
            default -> throw new IllegalArgumentException("seccomp profile: unsupported action " + action);
        };
    }

    private static long arg0Equals(JsonNode rule) {
        JsonNode args = rule.path("args");
        JsonNode arg = args.get(0);
        require(args.size() == 1 && arg.path("index").asInt() == 0 && arg.path("op").asText().equals("SCMP_CMP_EQ"),
                "argument condition " + args + " for " + rule.path("names"));
        return arg.path("value").asLong();
    }

    private static boolean hasCap(String cap) {
        return CAPABILITIES.stream().anyMatch(c -> ("CAP_" + c.name()).equals(cap));
    }

    private static boolean all(JsonNode array, Predicate<String> test) {
        for (JsonNode n : array) {
            if (!test.test(n.asText())) {
                return false;
            }
        }
        return true;
    }

    private static boolean any(JsonNode array, Predicate<String> test) {
        for (JsonNode n : array) {
            if (test.test(n.asText())) {
                return true;
            }
        }
        return false;
    }

    private static Errno errno(int number) {
        return Errno.of(number).orElseThrow(() -> new IllegalArgumentException("seccomp profile: errno " + number));
    }

    private static void require(boolean condition, String unsupported) {
        if (!condition) {
            throw new IllegalArgumentException("seccomp profile: unsupported " + unsupported);
        }
    }

    private static Map<String, List<String>> actordDenied() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("mounting, old API and new", List.of("mount", "umount2", "pivot_root", "open_tree", "move_mount",
                "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr"));
        m.put("namespaces (clone is checked for namespace flags)", List.of("unshare", "setns"));
        m.put("the kernel itself: modules, kexec, reboot, swap, accounting, quotas, clocks", List.of(
                "init_module", "finit_module", "delete_module", "create_module", "query_module", "get_kernel_syms",
                "kexec_load", "kexec_file_load", "reboot", "swapon", "swapoff", "acct", "quotactl", "quotactl_fd",
                "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "syslog", "iopl", "ioperm", "uselib",
                "_sysctl", "nfsservctl", "lookup_dcookie", "vhangup"));
        m.put("other processes' memory and descriptors", List.of("ptrace", "process_vm_readv", "process_vm_writev",
                "kcmp", "pidfd_getfd"));
        m.put("keyrings are not namespaced", List.of("keyctl", "add_key", "request_key"));
        m.put("large attack surfaces of their own", List.of("bpf", "perf_event_open", "userfaultfd",
                "io_uring_setup", "io_uring_enter", "io_uring_register", "fanotify_init"));
        m.put("file handles bypass path-based checks (the \"shocker\" escape)", List.of("open_by_handle_at",
                "name_to_handle_at"));
        return m;
    }

    /** Which Debian package, at which version, installed a file (dpkg-query), for the table's header. */
    private static final class Debian {
        static String packageOf(Path file) throws IOException {
            String owner = query("-S", file.toString());
            String pkg = owner.isEmpty() ? "" : owner.substring(0, owner.indexOf(':'));
            String version = pkg.isEmpty() ? "" : query("-W", "-f=${Version}", pkg);
            return pkg.isEmpty() ? "no Debian package" : pkg + " " + version;
        }

        private static String query(String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of("dpkg-query"));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            try {
                return p.waitFor() == 0 ? out : "";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted: dpkg-query " + String.join(" ", args), e);
            }
        }
    }
}
