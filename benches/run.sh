#!/usr/bin/env bash
# The performance targets of issue 6 that need the real binary (see benches/README.md):
#   1  `pcinbox list --output json` of 10,000 vs the AWS CLI, side by side (hyperfine), ratio
#   2  the criterion bench benches/inbox.rs (keystroke/selection + redraw, 100k rows, 200x60)
#   3  start to first frame with a cached listing of 10,000 (hyperfine)
#   4  peak memory (max RSS, /usr/bin/time -v): the inbox with 100,000, `list` of 10,000
#   5  frame gaps while 10,000 invitations page in (PCINBOX_FRAME_LOG)
#   6  emulator ListEngagementInvitations MaxResults 100, requests/s (wrk)
#   7  the release binary: its size, and process start (`--version`; one `get`) (hyperfine)
#   8  a refresh of an unchanged inbox of 10,000 within the real quotas (10 reads/s, client
#      side): requests (from the emulator's --request-log) and time, `watch --once` (hyperfine)
#   9  emulator accept, reject and create on a store file of 25 and of 100,000 invitations
#      (the criterion bench benches/emulator.rs, "emulator writes")
#
# Usage: benches/run.sh [TARGET...]   (default: all; e.g. `benches/run.sh 1 6`)
# Env:   RUNS (hyperfine runs, default 10), WRK_SECONDS (default 10), CRITERION_SECONDS (5).
#
# Installs what it needs (hyperfine, wrk, time via apt-get; the AWS CLI into target/bench-venv),
# builds --release, starts `pcinbox serve --ephemeral` on free loopback ports and stops them on
# exit. Everything it writes goes under target/bench/ (replaced on each run); every step has a
# time bound. Terminal runs of the inbox get a 200x60 pseudo-terminal from script(1).
set -euo pipefail
cd "$(dirname "$0")/.."

targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(1 2 3 4 5 6 7 8)
wants() { [[ " ${targets[*]} " == *" $1 "* ]]; }

runs=${RUNS:-10}
wrk_seconds=${WRK_SECONDS:-10}
criterion_seconds=${CRITERION_SECONDS:-5}
venv=target/bench-venv
out=target/bench
bin=$PWD/target/release/pcinbox

# --- tools ------------------------------------------------------------------------------------
missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
command -v wrk >/dev/null || missing+=(wrk)
[[ -x /usr/bin/time ]] || missing+=(time)
command -v script >/dev/null || missing+=(bsdutils)
if [[ ${#missing[@]} -gt 0 ]]; then
    sudo=$([[ $(id -u) -eq 0 ]] || echo sudo)
    timeout 300 $sudo apt-get install -y "${missing[@]}" >/dev/null ||
        { timeout 300 $sudo apt-get update >/dev/null && timeout 300 $sudo apt-get install -y "${missing[@]}" >/dev/null; }
fi
if wants 1 && [[ ! -x $venv/bin/aws ]]; then
    python3 -m venv "$venv"
    # Partner Central Selling's invitation operations need a botocore from 2025 or later.
    timeout 600 "$venv/bin/pip" install --quiet --disable-pip-version-check 'awscli>=1.38'
fi

timeout 1800 cargo build --quiet --release --bin pcinbox

rm -rf "$out"
mkdir -p "$out"
summary=$out/summary.txt
: >"$summary"
note() { printf '%s\n' "$*" | tee -a "$summary"; }

# Credentials and config of the clients: fixed, and never the user's own files.
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE=$PWD/$out/aws-config AWS_SHARED_CREDENTIALS_FILE=$PWD/$out/aws-credentials
export AWS_PAGER=""
: >"$AWS_CONFIG_FILE"

# --- servers ----------------------------------------------------------------------------------
servers=()
cleanup() {
    for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${servers[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# serve SEED_COUNT [ARGS...]: starts an ephemeral emulator; sets $url. Waits (bounded) until
# it accepts connections: seeding 100,000 invitations takes a while.
serve() {
    local count=$1 port
    shift
    port=$(free_port)
    "$bin" serve --ephemeral --seed-count "$count" --port "$port" "$@" >"$out/serve-$count.log" 2>&1 &
    servers+=($!)
    url=http://127.0.0.1:$port
    python3 tests/conformance/wait_for_port.py "$port" 300 || { echo "run.sh: the emulator did not start" >&2; cat "$out/serve-$count.log" >&2; exit 1; }
}

# tui HOME ENDPOINT [VAR=VALUE...]: the inbox in a 200x60 pseudo-terminal, bounded to 120 s.
tui_command() {
    local home=$1 endpoint=$2
    shift 2
    printf 'script -qefc %q /dev/null >/dev/null' \
        "stty cols 200 rows 60; env PCINBOX_HOME=$home $* $bin --endpoint-url $endpoint"
}
tui() { timeout 120 bash -c "$(tui_command "$@")"; }

# median_ms FILE: the median of a hyperfine --export-json run, in milliseconds.
median_ms() { jq -r ".results[$2].median * 1000 | . * 10 | round / 10" "$1"; }

serve 10000
url10k=$url
note "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GB RAM, $(. /etc/os-release; echo "$PRETTY_NAME"), $(rustc --version), $(date -u +%FT%TZ)"

# --- 1: list --output json vs the AWS CLI -------------------------------------------------------
if wants 1; then
    # Both list everything (10,000 seeded + the 25 demo invitations; checked, not assumed).
    pc=$("$bin" --endpoint-url "$url10k" list --output json | jq '.EngagementInvitationSummaries | length')
    aws=$("$venv/bin/aws" --endpoint-url "$url10k" partnercentral-selling list-engagement-invitations \
        --catalog Sandbox --participant-type RECEIVER --page-size 100 --output json |
        jq '.EngagementInvitationSummaries | length')
    [[ $pc == "$aws" && $pc -ge 10000 ]] || { echo "run.sh: listed $pc (pcinbox) and $aws (aws)" >&2; exit 1; }
    timeout 900 hyperfine --style basic --warmup 1 --runs "$runs" --export-json "$out/1-list.json" \
        -n pcinbox "PCINBOX_HOME=$out/home-list $bin --endpoint-url $url10k list --output json >/dev/null" \
        -n aws-cli "$venv/bin/aws --endpoint-url $url10k partnercentral-selling list-engagement-invitations --catalog Sandbox --participant-type RECEIVER --page-size 100 --output json >/dev/null"
    pc=$(median_ms "$out/1-list.json" 0)
    aws=$(median_ms "$out/1-list.json" 1)
    note "1 list 10,000 as JSON: pcinbox ${pc} ms, aws ${aws} ms median: $(jq -n "$aws / $pc | . * 10 | round / 10")x faster (target >= 20x)"
fi

# --- 2: criterion: keystroke and selection move with a 200x60 redraw, 100,000 rows ---------------
if wants 2; then
    timeout 1800 cargo bench --quiet --bench inbox -- --warm-up-time 1 \
        --measurement-time "$criterion_seconds" 2>&1 | tee "$out/2-criterion.txt"
    # Criterion's own estimates: the median and its 95% confidence interval.
    python3 - target/criterion <<'PY' | tee -a "$summary"
import json, pathlib, sys
targets = {"inbox_100k_selection_move_and_render": 2.0}
for bench in sorted(pathlib.Path(sys.argv[1]).glob("inbox_100k_*")):
    estimates = bench / "new" / "estimates.json"
    if not estimates.exists():
        continue
    median = json.loads(estimates.read_text())["median"]
    low, high = (median["confidence_interval"][k] / 1e6 for k in ("lower_bound", "upper_bound"))
    target = targets.get(bench.name, 16.0)
    print(f"2 {bench.name} (100,000 rows, 200x60): median {median['point_estimate'] / 1e6:.3f} ms "
          f"[{low:.3f} .. {high:.3f}] (target < {target:g} ms)")
PY
fi

# --- 3: start to first frame with a cached listing of 10,000 ------------------------------------
if wants 3; then
    home=$PWD/$out/home-10k
    # Warm the cache: a run that lists all 10,000 and quits once the listing is complete.
    tui "$home" "$url10k" PCINBOX_EXIT_AFTER_LISTING=1
    [[ -s $home/cache/listings/default-Sandbox-receiver.json ]] ||
        { echo "run.sh: the warm-up run left no cached listing" >&2; exit 1; }
    # The timed runs reach a server that answers only after 10 s, so the first frame with rows
    # is the cached listing, as on a slow network.
    serve 0 --latency-ms 10000
    slow=$url
    timeout 900 hyperfine --style basic --warmup 2 --runs "$runs" --export-json "$out/3-first-frame.json" \
        -n first-frame "$(tui_command "$home" "$slow" PCINBOX_EXIT_AFTER_FIRST_FRAME=1)" \
        -n pty-only "script -qefc 'stty cols 200 rows 60; true' /dev/null >/dev/null"
    note "3 start to first frame, cached 10,000: $(median_ms "$out/3-first-frame.json" 0) ms median, max $(jq -r '.results[0].max * 1000 | round' "$out/3-first-frame.json") ms (target < 100 ms; the pseudo-terminal alone: $(median_ms "$out/3-first-frame.json" 1) ms)"
fi

# --- 4: peak memory -----------------------------------------------------------------------------
max_rss_mb() { awk '/Maximum resident set size/ {printf "%.1f", $6 / 1024}' "$1"; }
if wants 4; then
    /usr/bin/time -v -o "$out/4-list-time.txt" \
        "$bin" --endpoint-url "$url10k" list --output json >/dev/null
    note "4 list 10,000 as JSON: max RSS $(max_rss_mb "$out/4-list-time.txt") MB (target < 60 MB)"
    serve 100000
    url100k=$url
    home=$PWD/$out/home-100k
    # Both runs list all 100,000 and quit after the frame that shows the completed listing: the
    # first with no cache (it writes one), the second shows that cache first and then refreshes.
    for run in no-cache cached; do
        timeout 300 bash -c "$(tui_command "$home" "$url100k" PCINBOX_EXIT_AFTER_LISTING=1 \
            /usr/bin/time -v -o "$PWD/$out/4-inbox-$run-time.txt")"
    done
    note "4 inbox with 100,000, full listing, no cache: max RSS $(max_rss_mb "$out/4-inbox-no-cache-time.txt") MB (target < 150 MB)"
    note "4 inbox with 100,000, cached then a full refresh: max RSS $(max_rss_mb "$out/4-inbox-cached-time.txt") MB (target < 150 MB)"
fi

# --- 5: frame gaps while 10,000 invitations page in ----------------------------------------------
if wants 5; then
    for n in 1 2 3; do
        home=$PWD/$out/home-frames-$n
        tui "$home" "$url10k" PCINBOX_EXIT_AFTER_LISTING=1 PCINBOX_FRAME_LOG="$PWD/$out/5-frames-$n.txt"
    done
    python3 - "$out"/5-frames-*.txt <<'PY' | tee -a "$summary"
import statistics, sys
gaps, busy, frames = [], [], 0
for path in sys.argv[1:]:
    rows = [line.split() for line in open(path)]
    # From the first frame with rows to the frame of the completed listing.
    paging = [(float(t), float(b)) for t, b, n, loading in rows if int(n) > 0]
    frames += len(paging)
    gaps += [b[0] - a[0] for a, b in zip(paging, paging[1:])]
    busy += [b for _, b in paging]
print(f"5 frames while 10,000 page in ({len(sys.argv) - 1} runs, {frames} frames): "
      f"worst gap {max(gaps):.1f} ms, median gap {statistics.median(gaps):.1f} ms; "
      f"worst busy (wake to frame on screen) {max(busy):.1f} ms (target: no gap over 50 ms)")
PY
fi

# --- 6: emulator throughput ----------------------------------------------------------------------
if wants 6; then
    timeout $((wrk_seconds + 30)) wrk -t 2 -c 32 -d "${wrk_seconds}s" --latency -s benches/list.lua "$url10k/" |
        tee "$out/6-wrk.txt"
    errors=$(awk '/Non-2xx/ {print $NF}' "$out/6-wrk.txt")
    note "6 emulator ListEngagementInvitations MaxResults 100: $(awk '/Requests\/sec/ {print $2}' "$out/6-wrk.txt") req/s, p50 $(awk '$1 == "50%" {print $2}' "$out/6-wrk.txt"), p99 $(awk '$1 == "99%" {print $2}' "$out/6-wrk.txt"), ${errors:-0} non-2xx, $(awk '/Transfer\/sec/ {print $2}' "$out/6-wrk.txt")/s (target >= 5,000 req/s)"
fi

# --- 7: the binary: size and process start ------------------------------------------------------
if wants 7; then
    id=$("$bin" --endpoint-url "$url10k" list --max-items 1 | jq -r '.EngagementInvitationSummaries[0].Id')
    timeout 300 hyperfine --style basic --warmup 3 --runs "$((runs * 3))" --export-json "$out/7-start.json" \
        -n version "$bin --version >/dev/null" \
        -n get "PCINBOX_HOME=$out/home-get $bin --endpoint-url $url10k get $id >/dev/null"
    note "7 release binary $(stat -c %s "$bin" | awk '{printf "%.1f MB (%d bytes)", $1 / 1e6, $1}') (target < 15 MB); start: --version $(median_ms "$out/7-start.json" 0) ms median, one get $(median_ms "$out/7-start.json" 1) ms median"
fi

# --- 9: emulator writes: 25 vs 100,000 invitations in the store file ------------------------------
if wants 9; then
    timeout 1800 cargo bench --quiet --bench emulator -- "emulator writes" --warm-up-time 1 \
        --measurement-time "$criterion_seconds" 2>&1 | tee "$out/9-criterion.txt"
    python3 - "target/criterion/emulator writes" <<'PY' | tee -a "$summary"
import json, pathlib, sys
def median_ms(name):
    estimates = json.loads((pathlib.Path(sys.argv[1]) / name / "new" / "estimates.json").read_text())
    return estimates["median"]["point_estimate"] / 1e6
for operation in ("accept", "reject", "create"):
    small, big = (median_ms(f"{operation}, {size} invitations") for size in ("25", "100k"))
    print(f"9 {operation} over HTTP, store file of 25: {small:.3f} ms, of 100,000: {big:.3f} ms median: "
          f"{big / small:.2f}x (target <= 2x, < 5 ms)")
PY
fi

# --- 8: a refresh of an unchanged inbox within the quotas ----------------------------------------
if wants 8; then
    log=$out/8-requests.jsonl
    serve 10000 --request-log "$log"
    home=$out/home-watch
    mkdir -p "$home"
    # The service's quotas, applied by the client as it applies them to the real endpoint.
    printf 'reads-per-second = 10\nwrites-per-second = 1\n' >"$home/config.toml"
    watch="PCINBOX_HOME=$home $bin --endpoint-url $url watch --once >/dev/null"
    # The first run lists everything (the baseline); every later one is a refresh.
    start=$(date +%s.%N)
    bash -c "$watch"
    full_s=$(echo "$(date +%s.%N) - $start" | bc)
    full_requests=$(wc -l <"$log")
    : >"$log"
    bash -c "$watch"
    refresh_requests=$(wc -l <"$log")
    pending_pages=$(grep -c '"PENDING"' "$log" || true)
    timeout 300 hyperfine --style basic --runs "$runs" --export-json "$out/8-refresh.json" -n refresh "$watch"
    note "8 unchanged inbox of 10,025 at 10 reads/s: refresh $refresh_requests requests ($pending_pages PENDING pages + $((refresh_requests - pending_pages))), $(median_ms "$out/8-refresh.json" 0) ms median; a full listing $full_requests requests, $(printf '%.1f' "$full_s") s"
fi

echo
echo "== summary ($summary)"
cat "$summary"
