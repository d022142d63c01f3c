# Shared by bin/up, bin/test and the launchers: finding Java, installing what a fresh Debian lacks,
# and timing stages. Source it; it defines functions only.

ACTORD_HOME=${ACTORD_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}

# Debian packages the build and the privileged tests need.
# btrfs-progs: the runtime's quota on btrfs run directories and its loop-mounted btrfs IT.
# skopeo: writes real docker-archives and OCI archives for the image import tests.
# containernetworking-plugins, nftables: the runs' egress network (CNI bridge + host-local, nft rules).
# help2man, asciidoctor: the Debian package's man pages (packaging/src/build/man-pages).
ACTORD_BUILD_PACKAGES=(openjdk-17-jdk-headless maven gcc libc6-dev e2fsprogs busybox-static btrfs-progs skopeo
	containernetworking-plugins nftables help2man asciidoctor)
# And what only the tests need. chromium: the console's browser tests (ConsoleIT) drive Debian's.
# dnsmasq-base (not dnsmasq, which starts a host service): the fake internet's DNS server; iptables: a run
# tries to flush its rules with the host's iptables (EgressIT); python3-prometheus-client: the Prometheus client's
# own text parser reads the daemon's /metrics (MetricsApiTest); postgresql: the PostgreSQL state store's tests start
# a server of their own with its initdb and pg_ctl, and check its checkpoint with pg_dump/pg_restore (#25);
# etcd-server: the cluster membership tests start a real etcd of their own (/usr/bin/etcd), as tests/cluster/run
# starts three (#26); that harness also reads the daemons' answers with curl and jq.
ACTORD_TEST_PACKAGES=(chromium dnsmasq-base iptables python3-prometheus-client postgresql etcd-server curl jq)

# Installs the given Debian packages that are missing (root only; others get the command to run).
ensure_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${missing[*]}; run: sudo apt-get install -y ${missing[*]}" >&2
    return 1
  fi
  echo "installing: ${missing[*]}"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# Prints the java binary to use: $JAVA_HOME's, else the one on PATH (17 or newer).
find_java() {
  local java=${JAVA_HOME:+$JAVA_HOME/bin/java}
  [ -x "${java:-}" ] || java=$(command -v java || true)
  if [ -z "$java" ]; then
    echo "actord: no java found: install openjdk-17-jre-headless or set JAVA_HOME" >&2
    return 1
  fi
  echo "$java"
}

# Runs a named stage and prints how long it took; a failing stage stops the script with its status.
STAGE_SUMMARY=()
stage() {
  local name=$1 start end status=0
  shift
  echo "==> $name"
  start=$(date +%s)
  "$@" || status=$?
  end=$(date +%s)
  STAGE_SUMMARY+=("$(printf '%-56s %5ss  %s' "$name" $((end - start)) "$([ $status -eq 0 ] && echo ok || echo "FAILED ($status)")")")
  echo "<== $name: $((end - start)) s$([ $status -eq 0 ] || echo ", failed with status $status")"
  if [ $status -ne 0 ]; then
    print_stage_summary
    exit $status
  fi
}

# background_stage NAME LOG COMMAND...: starts a stage beside the stages that follow, its output in LOG; await_stage
# then waits for it, prints its output and its time, and stops the script as stage does if it failed. The stage runs
# in a process group of its own, which is ended (TERM, then KILL after 20 s) when the script stops first: at its exit
# (a failing stage, a signal it traps) or, when it is killed outright, by a watchdog in the group that sees it gone.
BACKGROUND_PID= BACKGROUND_NAME= BACKGROUND_LOG= BACKGROUND_START=
background_stage() {
  BACKGROUND_NAME=$1 BACKGROUND_LOG=$2
  shift 2
  echo "==> $BACKGROUND_NAME (beside the next stages; output in $BACKGROUND_LOG)"
  BACKGROUND_START=$(date +%s)
  mkdir -p "$(dirname "$BACKGROUND_LOG")"
  set -m
  (
    group=$BASHPID
    (while kill -0 $$ 2>/dev/null; do sleep 5; done; kill -TERM -- "-$group") &
    watchdog=$!
    status=0
    "$@" || status=$?
    kill "$watchdog" 2>/dev/null
    date +%s > "$BACKGROUND_LOG.end"
    exit $status
  ) > "$BACKGROUND_LOG" 2>&1 &
  BACKGROUND_PID=$!
  set +m
  trap 'end_background' EXIT
}

end_background() {
  local _
  [ -n "$BACKGROUND_PID" ] && kill -TERM -- "-$BACKGROUND_PID" 2>/dev/null || return 0
  for _ in $(seq 20); do
    kill -0 -- "-$BACKGROUND_PID" 2>/dev/null || return 0
    sleep 1
  done
  kill -KILL -- "-$BACKGROUND_PID" 2>/dev/null || true
}

await_stage() {
  local status=0 end
  wait "$BACKGROUND_PID" || status=$?
  BACKGROUND_PID=
  end=$(cat "$BACKGROUND_LOG.end" 2>/dev/null || date +%s)
  cat "$BACKGROUND_LOG"
  STAGE_SUMMARY+=("$(printf '%-56s %5ss  %s' "$BACKGROUND_NAME" $((end - BACKGROUND_START)) "$([ $status -eq 0 ] && echo ok || echo "FAILED ($status)")")")
  echo "<== $BACKGROUND_NAME: $((end - BACKGROUND_START)) s (beside the stages above)$([ $status -eq 0 ] || echo ", failed with status $status")"
  if [ $status -ne 0 ]; then
    print_stage_summary
    exit $status
  fi
}

print_stage_summary() {
  echo "---- stages ----"
  printf '%s\n' "${STAGE_SUMMARY[@]}"
}

# The daemon's JVM settings, in this one place: run_jar starts bin/actord with them, and so the installed
# /usr/bin/actord (a link to bin/actord) that the systemd unit and the Debian package start. Chosen for a
# long-lived service on small hosts and measured with daemon/bench/memory (issue #24, README.md "Memory"):
# -XX:+UseSerialGC: the daemon's live heap is 10-25 MB. G1 (the JVM's choice on 2+ cores) committed 40 MB of
#   its own structures beside ~70 MB of heap; the serial collector needs neither, and its pauses at this size
#   are a few milliseconds.
# -Xms8m, -XX:MinHeapFreeRatio=20, -XX:MaxHeapFreeRatio=40: start small, grow when less than 20% is free after
#   a collection, give back what is more than 40% free (the default, 70%, kept three times the live set). The
#   maximum stays the JVM's default, a quarter of the host's (or the cgroup's) memory: the heap grows with the
#   live runs (about 50 kB each) and with requests in flight, and a fixed cap would be a new way to fail.
# -XX:TrimNativeHeapInterval=5000: every 5 s glibc's malloc gives back to the system what was freed (the JIT
#   compilers' arenas, RocksDB's and JNA's buffers), which it otherwise keeps: 20-40 MB after a burst of runs.
ACTORD_DAEMON_JVM_OPTS=(-XX:+UseSerialGC -Xms8m -XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40
	-XX:TrimNativeHeapInterval=5000)

# Starts the given jar of this checkout (after bin/up or bin/test built it) or of an installation, with the
# daemon's JVM settings and then ACTORD_JAVA_OPTS (later options win; a collector named there replaces ours).
run_jar() {
  local jar=$1 java opts=() o
  shift
  java=$(find_java) || exit 1
  if [ ! -f "$jar" ]; then
    echo "actord: $jar is not built; run bin/up (or mvn -DskipTests package) first" >&2
    exit 1
  fi
  for o in "${ACTORD_DAEMON_JVM_OPTS[@]}"; do
    [[ $o == -XX:+Use*GC && " ${ACTORD_JAVA_OPTS:-} " =~ [[:space:]]-XX:\+Use[A-Za-z0-9]+GC[[:space:]] ]] || opts+=("$o")
  done
  exec "$java" "${opts[@]}" ${ACTORD_JAVA_OPTS:-} -jar "$jar" "$@"
}

# The benchmarks (not tests) are the main classes of the module bench/, built on the test fixtures of the
# modules below it (their test-jars). bench_classpath compiles bench/ and the modules it needs, their tests
# included (none run), and prints bench/'s class path: its classes and its dependencies. The test-compile
# phase makes Maven resolve the sibling modules (and their test-jars) to their target/classes and
# target/test-classes, so nothing is packaged.
# With ACTORD_BENCH_CLASSPATHS=DIR the class path is kept in DIR and Maven runs once (tests/launchers/run
# checks six scripts so).
bench_classpath() {
  local kept=${ACTORD_BENCH_CLASSPATHS:+$ACTORD_BENCH_CLASSPATHS/bench}
  if [ -z "$kept" ] || [ ! -s "$kept" ]; then
    (cd "$ACTORD_HOME" && mvn -B -q -pl bench -am test-compile dependency:build-classpath \
      -Dmdep.includeScope=runtime -Dmdep.outputFile=target/bench.classpath) >&2 || return 1
    [ -z "$kept" ] || cp "$ACTORD_HOME/bench/target/bench.classpath" "$kept"
  fi
  echo "$ACTORD_HOME/bench/target/classes:$(cat "${kept:-$ACTORD_HOME/bench/target/bench.classpath}")"
}

# launch_main CLASSPATH MAIN [JVM OPTION...] -- [ARGUMENT...]: runs MAIN (behind the command in the array
# launch_via, if set). With ACTORD_LAUNCH_CHECK=1 it only checks that MAIN could run: MAIN and every class
# it reaches load from CLASSPATH (bin/lib/LaunchCheck.java), exit 0 if so. bin/test checks the launchers so.
launch_main() {
  local cp=$1 main=$2 java opts=()
  shift 2
  while [ $# -gt 0 ] && [ "$1" != -- ]; do
    opts+=("$1")
    shift
  done
  [ $# -eq 0 ] || shift
  java=$(find_java) || exit 1
  if [ "${ACTORD_LAUNCH_CHECK:-0}" = 1 ]; then
    exec "$java" "$ACTORD_HOME/bin/lib/LaunchCheck.java" "$cp" "$main"
  fi
  exec ${launch_via[@]+"${launch_via[@]}"} "$java" "${opts[@]}" -cp "$cp" "$main" "$@"
}
