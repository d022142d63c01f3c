# tests/cluster/lib.sh — what tests/cluster/run's checks share: reaching the daemons, PostgreSQL and the runs'
# cgroups, sampling runs, and the figures (percentiles). Source it from run after $tag, $work, $pgbin and the
# addresses are set; it defines functions only.

ms_now() { echo $(( $(date +%s%N) / 1000000 )); }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
say() { printf '%6.1f s  %s\n' "$(( $(date +%s%N) - started ))e-9" "$*"; }
fail() {
	say "FAILED: $*"
	exit 1
}

# Runs "$@" in node $1's network namespace (nsenter, not ip netns exec: see start_daemon).
in_ns() {
	local ns=$1
	shift
	nsenter --net="/run/netns/$tag-$ns" "$@"
}

# Runs "$@" every 100 ms until it succeeds, for at most $1 seconds; fails the run with $2 otherwise.
await() {
	local seconds=$1 what=$2 deadline
	shift 2
	deadline=$(( $(date +%s%N) + seconds * 1000000000 ))
	until "$@"; do
		[ "$(date +%s%N)" -lt "$deadline" ] || fail "$what: not within $seconds s"
		sleep 0.1
	done
}

# An API request over daemon $1's admin socket ($1: h1..h3 or solo): METHOD PATH [JSON]; prints the body.
api() {
	local d=$1 method=$2 path=$3 body=${4:-}
	if [ -n "$body" ]; then
		curl -sS --max-time 30 --unix-socket "$work/$d/actord.sock" -X "$method" -H 'Content-Type: application/json' \
			--data-binary "$body" "http://actord$path"
	else
		curl -sS --max-time 30 --unix-socket "$work/$d/actord.sock" -X "$method" "http://actord$path"
	fi
}

# A query against database $1 of the harness's PostgreSQL (its Unix socket), rows as space-separated fields.
sql() {
	local db=$1
	shift
	"$pgbin/psql" -h "$work/pg" -U actord -d "$db" -XAtq -F ' ' -c "$*"
}

# The runs of actor $2 in database $1, one line each: id status owner memoryMbytes startedAtMs container
# migrationCount epoch ("-" for no owner or container). The run API serves neither the owner host nor the
# container: the shared state is where placement and migration write them.
runs_of() {
	sql "$1" "SELECT r->>'id', r->>'status', coalesce(r->>'ownerHost', '-'), r->'options'->>'memoryMbytes',
		(extract(epoch FROM (r->>'startedAt')::timestamptz) * 1000)::bigint,
		CASE WHEN jsonb_typeof(r->'container') = 'object' THEN 'c' ELSE '-' END,
		coalesce(r->>'migrationCount', '0'), coalesce(r->>'epoch', '0')
		FROM (SELECT convert_from(v, 'UTF8')::jsonb AS r FROM kv_runs) s WHERE r->>'actId' = '$2' ORDER BY 5, 1"
}

# The memory cgroup directory of daemon $1's subtree (--cgroup-subtree $tag-$1), once it exists.
declare -A memcg_of=()
memcg() {
	if [ -z "${memcg_of[$1]:-}" ]; then
		memcg_of[$1]=$(find /sys/fs/cgroup/memory -mindepth 1 -maxdepth 8 -type d -name "$tag-$1" -print -quit 2>/dev/null)
	fi
	echo "${memcg_of[$1]}"
}
# What the run cgroups of daemon $1 may use together (MB): the memory limits the kernel enforces, which is what
# "never more than the host's capacity" means in the end.
cgroup_mb() {
	local dir sum=0 limit f
	dir=$(memcg "$1")
	[ -n "$dir" ] || { echo 0; return; }
	for f in "$dir"/*/memory.limit_in_bytes; do
		[ -f "$f" ] || continue
		limit=$(cat "$f" 2>/dev/null) || continue
		sum=$(( sum + limit / 1048576 ))
	done
	echo "$sum"
}
# The processes in daemon $1's run cgroups (every hierarchy's view is the same: the memory one is read).
run_pids() {
	local dir
	dir=$(memcg "$1")
	[ -n "$dir" ] || return 0
	find "$dir" -mindepth 2 -name cgroup.procs -exec cat {} + 2>/dev/null || true
}
# Kills every process of daemon $1's runs, as the loss of the host would: cgroup.kill (cgroup2, Linux 5.14) where
# the run cgroups have it, SIGKILL to each process otherwise (a hybrid host's runs live in the v1 hierarchies);
# returns once none is left (at most 10 s).
kill_runs_of() {
	local f pid deadline
	deadline=$(( $(date +%s) + 10 ))
	for f in $(find /sys/fs/cgroup -mindepth 3 -maxdepth 9 -path "*/$tag-$1/*" -name cgroup.kill 2>/dev/null); do
		echo 1 >"$f" 2>/dev/null || true
	done
	while [ -n "$(run_pids "$1")" ]; do
		for pid in $(run_pids "$1"); do kill -KILL "$pid" 2>/dev/null || true; done
		[ "$(date +%s)" -lt "$deadline" ] || return 1
		sleep 0.05
	done
}

# Run $1 has ended (as host1 answers).
ended() {
	api h1 GET "/v2/actor-runs/$1" | jq -e '.data.status | . != "READY" and . != "RUNNING" and . != "TIMING-OUT"
		and . != "ABORTING"' >/dev/null
}

# The cluster as host $1 sees it (GET /v2/actord/cluster/hosts over its admin socket); empty when it does not answer.
hosts_of() {
	curl -sS --max-time 5 --unix-socket "$work/h$1/actord.sock" http://actord/v2/actord/cluster/hosts 2>/dev/null || true
}
# "PHASE COUNT id,id,…" as host $1 sees it.
view_of() {
	hosts_of "$1" | jq -r '.data | "\(.phase) \(.total) \([.items[].hostId] | join(","))"' 2>/dev/null || true
}
sees() { # host $1 is a member and sees exactly the hosts $2 (comma-separated)
	local view
	view=$(view_of "$1")
	[ "$view" = "MEMBER $(tr ',' '\n' <<<"$2" | grep -c .) $2" ]
}
lost() { # host $1 answers, and host id $2 is not among the members it lists
	local view
	view=$(view_of "$1")
	[ -n "$view" ] && ! cut -d' ' -f3 <<<"$view" | tr ',' '\n' | grep -qx "$2"
}
member() { # host $1 is a member again and host $2 sees it
	[ "$(view_of "$1" | cut -d' ' -f1)" = MEMBER ] && view_of "$2" | cut -d' ' -f3 | tr ',' '\n' | grep -qx "host$1"
}

# "p50 p95 max" (ms) of the numbers on stdin (nearest rank); "- - -" when there are none.
percentiles() {
	sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "- - -"; exit }
		p50 = int(NR * 0.50); if (p50 < NR * 0.50) p50++
		p95 = int(NR * 0.95); if (p95 < NR * 0.95) p95++
		print v[p50], v[p95], v[NR] }'
}
figures() { # "NAME: p50 X ms, p95 Y ms, max Z ms (n N)" of the numbers on stdin
	local name=$1 values
	values=$(cat)
	read -r p50 p95 max < <(percentiles <<<"$values")
	echo "$name p50 $p50 ms, p95 $p95 ms, max $max ms (n $(grep -c . <<<"$values"))"
}

# The dataset of counter run $1 (via host1) checked: every seq 1..items present, incarnations never interleave
# (once a later incarnation's item appears no earlier one's follows), seq never goes backwards within an
# incarnation and a new incarnation repeats at most the one item its predecessor pushed but had not persisted.
# Prints "items N incarnations K repeats R", or what was wrong and returns 1.
check_counter() {
	local run=$1 items=$2 dataset verdict
	dataset=$(api h1 GET "/v2/actor-runs/$run" | jq -r .data.defaultDatasetId)
	verdict=$(api h1 GET "/v2/datasets/$dataset/items?format=json&clean=1&limit=100000" | jq -r --argjson items "$items" '
		. as $all
		| (reduce $all[].incarnation as $i ([]; if index([$i]) then . else . + [$i] end)) as $order
		| [range(1; $all | length) as $k | select($all[$k].incarnation != $all[$k - 1].incarnation) | $k] as $switches
		| ([$switches[] as $k | select(($order | index($all[$k].incarnation)) < ($order | index($all[$k - 1].incarnation)))]
			| length) as $interleaved
		| ([range(1; $all | length) as $k | select($all[$k].incarnation == $all[$k - 1].incarnation
			and $all[$k].seq != $all[$k - 1].seq + 1)] | length) as $backwards
		| ([$switches[] as $k | select($all[$k].seq < $all[$k - 1].seq or $all[$k].seq > $all[$k - 1].seq + 1)]
			| length) as $badjoins
		| ([$all[].seq] | unique) as $seqs
		| if $seqs != [range(1; $items + 1)] then "missing or extra seq: \($items) wanted, \($seqs | length) distinct"
		  elif ($order | length) != ($switches | length) + 1 then "incarnations interleave: \($order | length) incarnations, \($switches | length) switches"
		  elif $interleaved > 0 then "an earlier incarnation pushed after a later one (\($interleaved) times)"
		  elif $backwards > 0 then "seq did not go up by one within an incarnation (\($backwards) times)"
		  elif $badjoins > 0 then "a new incarnation skipped or rewound more than one item (\($badjoins) times)"
		  else "ok items \($all | length) incarnations \($order | length) repeats \(($all | length) - ($seqs | length))" end' 2>&1)
	case $verdict in
	"ok "*) echo "${verdict#ok }" ;;
	*) echo "$verdict"; return 1 ;;
	esac
}
