#!/bin/sh
# bench.sh: dyad's performance benchmark, run by `make bench` (figures and
# how to read them: docs/performance.md).
#
# Builds dyad with -O2 into build/bench/obj (so a rebuild of ./dyad by
# someone else cannot change the binary mid-run), generates synthetic
# corpora with tools/gencorpus.c into build/bench/ (cached; regenerated only
# when missing or when the generator or the lexicons changed), then measures
# on a warm page cache:
#   1. a ~200 MB plain-text corpus: dyad with -j 1 and -j 2, with
#      --no-matches and with matches.csv on (each option only if this dyad's
#      --help lists it), against `wc -w` and `cat` to /dev/null: seconds,
#      MB/s, time relative to wc -w, peak resident memory;
#   2. growth with size: 10, 100 and 1000 MB;
#   3. peak memory on 1,000 and 10,000 small files;
#   4. each input format, 10 MB of it;
#   and with BENCH_PROFILE=1, dyad on 100 MB with the default lexicons,
#   without their regex rules and with a one-phrase lexicon, and a perf
#   profile (build/bench/perf-report.txt);
# then prints a summary table (also kept in build/bench/results.tsv) and the
# issue's targets, each "met" or "NOT met".
#
# A benchmark, not a test: slowness never makes it fail. It stops only when
# dyad or the generator cannot be built.
#
# Environment:
#   BENCH_MAX_MB   largest corpus in MB, capping parts 1 and 2 (default 1000)
#   BENCH_RUNS     timed runs per command in part 1, the fastest kept (default 3)
#   BENCH_MEM_RUNS runs per command in part 3, the median kept (default 5)
#   BENCH_FORMATS  0 skips part 4 (default 1)
#   BENCH_PROFILE  1 adds the lexicon ablation and perf profile (default 0; needs BENCH_MAX_MB >= 100)
# MB are 10^6 bytes. Every command runs once untimed first (warm cache).

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2

BENCH=build/bench
MAX_MB=${BENCH_MAX_MB:-1000}
RUNS=${BENCH_RUNS:-3}
MEM_RUNS=${BENCH_MEM_RUNS:-5}
FORMATS=${BENCH_FORMATS:-1}
PROFILE=${BENCH_PROFILE:-0}
MAIN_MB=200
[ "$MAX_MB" -lt "$MAIN_MB" ] && MAIN_MB=$MAX_MB
GEN=build/gencorpus
DYAD=$BENCH/obj/dyad-bin
OUT=$BENCH/out
LOGS=$BENCH/logs
RESULTS=$BENCH/results.tsv
export LC_ALL=C.UTF-8          # wc -w counts UTF-8 words, as dyad does

die() {
    echo "bench: $*" >&2
    exit 2
}

say() {
    printf '%s\n' "$*"
}

# ---- tools and builds --------------------------------------------------------

TIME=/usr/bin/time
if [ ! -x "$TIME" ]; then
    sh tools/deps.sh time || true
fi
if [ ! -x "$TIME" ]; then
    say "bench: /usr/bin/time is missing (install the Debian package 'time'); peak memory is not measured"
    TIME=""
fi

mkdir -p "$BENCH" "$LOGS" || die "cannot create $BENCH"
say "== building dyad (-O2) into $BENCH/obj and the corpus generator =="
make --no-print-directory "$GEN" > "$LOGS/build.log" 2>&1 ||
    die "building $GEN failed; see $LOGS/build.log"
make --no-print-directory BUILD="$BENCH/obj" OPT="-O2 -g" "$DYAD" >> "$LOGS/build.log" 2>&1 ||
    die "building dyad failed (another engineer's file may be mid-edit; retry in a minute); see $LOGS/build.log"

HELP=$("$DYAD" --help 2>&1)
HAS_JOBS=0
HAS_NOMATCH=0
case $HELP in *" -j"*) HAS_JOBS=1 ;; esac
case $HELP in *--no-matches*) HAS_NOMATCH=1 ;; esac

# ---- the machine ---------------------------------------------------------------

load_now() {
    uptime | sed 's/.*load average: *//'
}

# Taken once, when dyad was built: the commit it was built from.
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git status --porcelain 2>/dev/null | grep -q . && echo ' + uncommitted changes')"
LOAD_START=$(load_now)

machine() {
    say "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(free -g | awk '/^Mem:/ {print $2 " GB memory"}')"
    say "load:    $LOAD_START at the start (1, 5, 15 min; the end is in the summary)"
    say "commit:  $COMMIT (dyad built from it)"
    say "dyad:    $DYAD (-O2), options: -j $([ $HAS_JOBS = 1 ] && echo yes || echo 'not yet'), --no-matches $([ $HAS_NOMATCH = 1 ] && echo yes || echo 'not yet')"
    say "wc:      $(wc --version | head -n 1), LC_ALL=$LC_ALL"
}
say ""
machine | tee "$BENCH/machine.txt"

# ---- corpora -------------------------------------------------------------------

# ensure_corpus NAME GENCORPUS-OPTIONS...: build/bench/NAME, kept while the
# options, the generator and the lexicons are unchanged.
ensure_corpus() {
    name=$1
    shift
    key="$* | $(cksum < tools/gencorpus.c) | $(cat lexicons/*.lex | cksum)"
    stamp=$BENCH/$name.stamp
    if [ -d "$BENCH/$name" ] && [ -f "$stamp" ] && [ "$(head -n 1 "$stamp")" = "$key" ] &&
        [ -n "$(sed -n 2p "$stamp")" ]; then
        return 0
    fi
    rm -rf "${BENCH:?}/$name" "$stamp"
    say "generating $name (gencorpus $*)"
    "$GEN" -L lexicons "$@" "$BENCH/$name" > "$LOGS/$name.gen" || die "gencorpus failed for $name"
    sed 's/^/  /' "$LOGS/$name.gen"
    { printf '%s\n' "$key"; cat "$LOGS/$name.gen"; } > "$stamp"
}

# The number of words gencorpus wrote into a corpus (from its stamp).
corpus_words() {
    sed -n '2s/.* bytes, \([0-9]*\) words.*/\1/p' "$BENCH/$1.stamp"
}

corpus_bytes() {
    find "$1" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%d\n", s }'
}

# Read every file of a corpus once, so that timed runs find it in the page cache.
warm() {
    find "$1" -type f -exec cat {} + > /dev/null
}

# ---- measuring -----------------------------------------------------------------

# run_timed LOG CMD...: run CMD once with its stdout discarded and stderr in
# LOG; sets SECS (wall clock), CPU (user + system seconds, which other
# processes on the machine disturb far less than the wall clock), RSS_MB
# (peak resident set) and STATUS.
run_timed() {
    errlog=$1
    shift
    t0=$(date +%s%N)
    if [ -n "$TIME" ]; then
        "$TIME" -v -o "$BENCH/time.out" "$@" > /dev/null 2> "$errlog"
    else
        "$@" > /dev/null 2> "$errlog"
    fi
    STATUS=$?
    t1=$(date +%s%N)
    SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    RSS_MB=n/a
    CPU=n/a
    if [ -n "$TIME" ]; then
        RSS_MB=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$BENCH/time.out")
        CPU=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$BENCH/time.out")
    fi
}

# The notes of a dyad run of SECONDS on CORPUS: words per second (formats
# carry different amounts of markup, so words/s compares them), then what
# run.csv says about failures.
dyad_notes() {
    awk -v w="$(corpus_words "$2")" -v s="$1" 'BEGIN { if (w && s > 0) printf "%.2f Mwords/s, ", w / s / 1e6 }'
    if [ ! -f "$OUT/run.csv" ]; then
        echo "exit $STATUS, no run.csv"
        return
    fi
    awk -F, -v st="$STATUS" '
        $1 == "sessions" { s = $2 } $1 == "files_failed" { f = $2 }
        $1 == "errors" { e = $2 } $1 == "warnings" { w = $2 }
        END { printf "exit %s, %s sessions, %s failed, %s errors, %s warnings", st, s, f, e, w }' "$OUT/run.csv"
}

# record SECTION LABEL CORPUS BYTES SECS RSS NOTES CPU: one result row,
# printed now and kept for the summary.
record() {
    mbs=$(awk -v b="$4" -v s="$5" 'BEGIN { if (s > 0) printf "%.1f", b / 1e6 / s; else print "inf" }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$mbs" "$6" "$7" "$8" >> "$RESULTS"
    printf '  %-44s %-14s %8s s %7s cpu s %8s MB/s %6s MB  %s\n' "$2" "$3" "$5" "$8" "$mbs" "$6" "$7"
}

# bench_best SECTION LABEL CORPUS CMD...: a warm-up run, then RUNS timed runs;
# records the fastest (and the largest peak memory). Dyad's reports go to
# $OUT, removed after each run.
bench_best() {
    section=$1 label=$2 corpus=$3
    shift 3
    bytes=$(corpus_bytes "$BENCH/$corpus")
    log=$LOGS/$(echo "$label.$corpus" | tr -c 'A-Za-z0-9.\n-' '_')
    rm -rf "$OUT"
    run_timed "$log.warmup.err" "$@"
    best=""
    best_cpu=n/a
    peak=0
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        rm -rf "$OUT"
        run_timed "$log.err" "$@"
        if [ -z "$best" ] || awk -v a="$SECS" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best=$SECS
            best_cpu=$CPU
        fi
        [ "$RSS_MB" != n/a ] && peak=$(awk -v a="$RSS_MB" -v b="$peak" 'BEGIN { print (a > b) ? a : b }')
        i=$((i + 1))
    done
    [ -n "$TIME" ] || peak=n/a
    notes=""
    case $label in dyad*) notes=$(dyad_notes "$best" "$corpus") ;; esac
    rm -rf "$OUT"
    record "$section" "$label" "$corpus" "$bytes" "$best" "$peak" "$notes" "$best_cpu"
}

# bench_once SECTION LABEL CORPUS CMD...: warm the corpus with cat, then one
# timed run (for the large corpora, where a warm-up run of dyad would double
# the time).
bench_once() {
    section=$1 label=$2 corpus=$3
    shift 3
    bytes=$(corpus_bytes "$BENCH/$corpus")
    warm "$BENCH/$corpus"
    rm -rf "$OUT"
    run_timed "$LOGS/$(echo "$label.$corpus" | tr -c 'A-Za-z0-9.\n-' '_').err" "$@"
    notes=$(dyad_notes "$SECS" "$corpus")
    rm -rf "$OUT"
    record "$section" "$label" "$corpus" "$bytes" "$SECS" "$RSS_MB" "$notes" "$CPU"
}

# dyad's options for a configuration JOBS MATCHES: -j JOBS when dyad has -j,
# --no-matches for MATCHES 0 when dyad has it.
dyad_opts() {
    o=""
    [ $HAS_JOBS = 1 ] && o="-j $1"
    [ $HAS_NOMATCH = 1 ] && [ "$2" = 0 ] && o="$o --no-matches"
    echo "$o"
}

# How a configuration is named in the results: "dyad -j 1 --no-matches".
dyad_label() {
    l=dyad
    [ $HAS_JOBS = 1 ] && l="$l -j $1"
    if [ $HAS_NOMATCH = 1 ] && [ "$2" = 0 ]; then l="$l --no-matches"; else l="$l +matches.csv"; fi
    echo "$l"
}

run_dyad_best() {
    section=$1 corpus=$2 jobs=$3 matches=$4
    # shellcheck disable=SC2046
    bench_best "$section" "$(dyad_label "$jobs" "$matches")" "$corpus" \
        "$DYAD" -q --lexicon lexicons -o "$OUT" $(dyad_opts "$jobs" "$matches") "$BENCH/$corpus"
}

# bench_median SECTION LABEL CORPUS CMD...: MEM_RUNS runs after a warm-up;
# records the median wall time, CPU time and peak memory. Peak memory
# varies by about 0.2 MB from run to run (mostly the pages of the program
# and its libraries), which is 3% of dyad's: one run cannot tell 8% from
# 11%.
bench_median() {
    section=$1 label=$2 corpus=$3
    shift 3
    bytes=$(corpus_bytes "$BENCH/$corpus")
    log=$LOGS/$(echo "$label.$corpus" | tr -c 'A-Za-z0-9.\n-' '_')
    rm -rf "$OUT"
    run_timed "$log.warmup.err" "$@"
    secs_list="" cpu_list="" rss_list=""
    i=0
    while [ "$i" -lt "$MEM_RUNS" ]; do
        rm -rf "$OUT"
        run_timed "$log.err" "$@"
        secs_list="$secs_list $SECS" cpu_list="$cpu_list $CPU" rss_list="$rss_list $RSS_MB"
        i=$((i + 1))
    done
    rm -rf "$OUT"
    record "$section" "$label" "$corpus" "$bytes" "$(median $secs_list)" "$(median $rss_list)" \
        "median of $MEM_RUNS runs" "$(median $cpu_list)"
}

# median VALUES...: the middle value (n/a when any is n/a).
median() {
    printf '%s\n' "$@" | sort -g | awk '/n\/a/ { na = 1 } { v[NR] = $1 } END {
        if (na || !NR) print "n/a"; else print v[int((NR + 1) / 2)] }'
}

run_dyad_median() {
    section=$1 corpus=$2 jobs=$3 matches=$4
    # shellcheck disable=SC2046
    bench_median "$section" "$(dyad_label "$jobs" "$matches")" "$corpus" \
        "$DYAD" -q --lexicon lexicons -o "$OUT" $(dyad_opts "$jobs" "$matches") "$BENCH/$corpus"
}

run_dyad_once() {
    section=$1 corpus=$2 jobs=$3 matches=$4
    # shellcheck disable=SC2046
    bench_once "$section" "$(dyad_label "$jobs" "$matches")" "$corpus" \
        "$DYAD" -q --lexicon lexicons -o "$OUT" $(dyad_opts "$jobs" "$matches") "$BENCH/$corpus"
}

# The lean configuration used for scaling and formats: one thread, no
# matches.csv when dyad can leave it out.
LEAN_JOBS=1
LEAN_MATCHES=0

: > "$RESULTS"

# ---- 1. throughput against wc -w and cat ----------------------------------------

MAIN=corpus-${MAIN_MB}M
say ""
say "== 1. throughput on $MAIN (plain text; warm cache; fastest of $RUNS runs) =="
ensure_corpus "$MAIN" -b "${MAIN_MB}M"
warm "$BENCH/$MAIN"
bench_best throughput "cat" "$MAIN" find "$BENCH/$MAIN" -type f -exec cat {} +
bench_best throughput "wc -w" "$MAIN" find "$BENCH/$MAIN" -type f -exec wc -w {} +
if [ $HAS_NOMATCH = 1 ]; then
    run_dyad_best throughput "$MAIN" 1 0
    [ $HAS_JOBS = 1 ] && run_dyad_best throughput "$MAIN" 2 0
fi
run_dyad_best throughput "$MAIN" 1 1
[ $HAS_JOBS = 1 ] && run_dyad_best throughput "$MAIN" 2 1

# ---- 2. growth with size --------------------------------------------------------

say ""
say "== 2. growth with size: $(dyad_label $LEAN_JOBS $LEAN_MATCHES) (one run each, after cat warms the cache) =="
for mb in 10 100 1000; do
    [ "$mb" -gt "$MAX_MB" ] && continue
    ensure_corpus "corpus-${mb}M" -b "${mb}M"
    run_dyad_once scaling "corpus-${mb}M" $LEAN_JOBS $LEAN_MATCHES
done

# ---- 3. memory with many small files --------------------------------------------

say ""
say "== 3. peak memory with many small files (2-6 KB each; median of $MEM_RUNS runs) =="
for n in 1000 10000; do
    ensure_corpus "files-$n" -n "$n" -z 2K-6K
    run_dyad_median files "files-$n" $LEAN_JOBS $LEAN_MATCHES
    [ $HAS_JOBS = 1 ] && run_dyad_median files "files-$n" 2 1
done

# ---- 4. formats -----------------------------------------------------------------

if [ "$FORMATS" != 0 ]; then
    say ""
    say "== 4. each input format, 10 MB: $(dyad_label $LEAN_JOBS $LEAN_MATCHES) =="
    for f in txt csv cha vtt srt eaf textgrid tei; do
        ensure_corpus "format-$f" -f "$f" -b 10M
        run_dyad_once formats "format-$f" $LEAN_JOBS $LEAN_MATCHES
    done
fi

# ---- profile (optional) -----------------------------------------------------------

# Lexicon variants for the profile: the default lexicons with their regex
# rules commented out, and a one-phrase lexicon (reading, tokenizing and
# reports with next to no matching).
make_lexicon_variants() {
    rm -rf "$BENCH/lex-noregex" "$BENCH/lex-min"
    mkdir -p "$BENCH/lex-noregex" "$BENCH/lex-min"
    for f in lexicons/*.lex; do
        sed 's|^\(! *\)\{0,1\}/|# &|' "$f" > "$BENCH/lex-noregex/$(basename "$f")"
    done
    printf '[rare] a phrase no corpus has\nzebra crossing ahead\n' > "$BENCH/lex-min/min.lex"
}

if [ "$PROFILE" = 1 ] && [ "$MAX_MB" -ge 100 ]; then
    say ""
    say "== profile: $(dyad_label $LEAN_JOBS $LEAN_MATCHES) on corpus-100M =="
    ensure_corpus corpus-100M -b 100M
    make_lexicon_variants
    for lex in lexicons "$BENCH/lex-noregex" "$BENCH/lex-min"; do
        bytes=$(corpus_bytes "$BENCH/corpus-100M")
        warm "$BENCH/corpus-100M"
        rm -rf "$OUT"
        # shellcheck disable=SC2046
        run_timed "$LOGS/profile.$(basename "$lex").err" "$DYAD" -q --lexicon "$lex" -o "$OUT" \
            $(dyad_opts $LEAN_JOBS $LEAN_MATCHES) "$BENCH/corpus-100M"
        notes=$(dyad_notes "$SECS" corpus-100M)
        rm -rf "$OUT"
        record profile "$(dyad_label $LEAN_JOBS $LEAN_MATCHES) --lexicon $(basename "$lex")" corpus-100M \
            "$bytes" "$SECS" "$RSS_MB" "$notes" "$CPU"
    done
    command -v perf > /dev/null 2>&1 || sh tools/deps.sh linux-perf || true
    if command -v perf > /dev/null 2>&1; then
        rm -rf "$OUT"
        # shellcheck disable=SC2046
        perf record -q -o "$BENCH/perf.data" "$DYAD" -q --lexicon lexicons -o "$OUT" \
            $(dyad_opts $LEAN_JOBS $LEAN_MATCHES) "$BENCH/corpus-100M" > /dev/null 2>> "$LOGS/perf.err"
        rm -rf "$OUT"
        perf report -i "$BENCH/perf.data" --no-children --sort dso --stdio 2> /dev/null \
            | grep '%' > "$BENCH/perf-dso.txt"
        perf report -i "$BENCH/perf.data" --no-children --sort dso,symbol --percent-limit 0.3 --stdio 2> /dev/null \
            | grep '%' > "$BENCH/perf-report.txt"
        say "  by object ([JIT] is PCRE2's JIT-compiled regex code):"
        sed 's/^/  /' "$BENCH/perf-dso.txt" | head -n 8
        say "  by function (the first 25; all in $BENCH/perf-report.txt):"
        sed 's/^/  /' "$BENCH/perf-report.txt" | grep -v 'JIT\] tid' | head -n 25
    else
        say "  perf is not available; see docs/performance.md for the callgrind way"
    fi
elif [ "$PROFILE" = 1 ]; then
    say ""
    say "== profile skipped: it runs on the 100 MB corpus and BENCH_MAX_MB is $MAX_MB =="
fi

# ---- summary --------------------------------------------------------------------

say ""
say "== summary (MB = 10^6 bytes; seconds are wall-clock, cpu s user + system; 'vs wc -w' = time / time of wc -w on the same corpus) =="
machine
awk -F'\t' '
    NR == FNR { if ($2 == "wc -w") wc[$3] = $5; next }
    FNR == 1 { printf "%-11s %-44s %-14s %7s %8s %8s %8s %8s %7s  %s\n", "part", "command", "corpus", "MB", "seconds", "cpu s", "MB/s", "vs wc -w", "peak MB", "notes" }
    {
        ratio = ($3 in wc && wc[$3] > 0) ? sprintf("%.2fx", $5 / wc[$3]) : "-"
        printf "%-11s %-44s %-14s %7.1f %8s %8s %8s %8s %7s  %s\n", $1, $2, $3, $4 / 1e6, $5, $9, $6, ratio, $7, $8
    }' "$RESULTS" "$RESULTS"

# Targets from the issue, reported (never enforced).
say ""
say "targets (reported, not enforced):"
awk -F'\t' -v has_nm=$HAS_NOMATCH -v has_j=$HAS_JOBS '
    function verdict(ok) { return ok ? "met" : "NOT met" }
    $1 == "throughput" { mbs[$2] = $6; secs[$2] = $5 }
    $1 == "files" { mem[$2 "|" $3] = $7 }
    # linearity by CPU time when it was measured: other processes on the
    # machine disturb the wall clock far more
    $1 == "scaling" {
        rate = ($9 != "n/a" && $9 > 0) ? $4 / 1e6 / $9 : $6
        if (!first_mb) { first_mb = $4 / 1e6; first_rate = rate }
        last_mb = $4 / 1e6; last_rate = rate; by_cpu = ($9 != "n/a")
    }
    END {
        lean1 = has_j ? (has_nm ? "dyad -j 1 --no-matches" : "dyad -j 1 +matches.csv") : (has_nm ? "dyad --no-matches" : "dyad +matches.csv")
        lean2 = has_nm ? "dyad -j 2 --no-matches" : "dyad -j 2 +matches.csv"
        full1 = has_j ? "dyad -j 1 +matches.csv" : "dyad +matches.csv"
        if (lean1 in mbs) printf "  >= 150 MB/s, 1 thread, no matches:  %s MB/s (%s)%s\n", mbs[lean1], lean1, has_nm ? " " verdict(mbs[lean1] >= 150) : " (no --no-matches yet)"
        if (has_j && (lean2 in mbs)) printf "  >= 250 MB/s, 2 threads, no matches: %s MB/s (%s) %s\n", mbs[lean2], lean2, verdict(mbs[lean2] >= 250)
        else printf "  >= 250 MB/s, 2 threads: not measured (no -j yet)\n"
        if (has_nm && (full1 in secs) && (lean1 in secs) && secs[lean1] > 0)
            printf "  matches.csv on within 2x of off:    %.2fx %s\n", secs[full1] / secs[lean1], verdict(secs[full1] <= 2 * secs[lean1])
        else printf "  matches.csv on within 2x of off:    not measured (no --no-matches yet)\n"
        m1 = mem[lean1 "|files-1000"]; m10 = mem[lean1 "|files-10000"]
        if (m1 != "" && m1 != "n/a") {
            printf "  < 64 MB peak on 1,000 files:        %s MB %s\n", m1, verdict(m1 < 64)
            if (m10 != "" && m10 != "n/a")
                printf "  10,000 files within 10%% of that:    %s MB (%+.1f MB, %+.0f%%) %s\n", m10, m10 - m1, 100 * (m10 - m1) / m1, verdict(m10 <= 1.1 * m1)
        }
        if (last_mb > first_mb && first_rate > 0)
            printf "  time linear in size:                %.0f MB at %.2f of the MB per %s second of %.0f MB (1.00 = linear; >= 0.80 taken as linear) %s\n", last_mb, last_rate / first_rate, by_cpu ? "CPU" : "wall-clock", first_mb, verdict(last_rate / first_rate >= 0.8)
    }' "$RESULTS"
say ""
say "load:    $LOAD_START at the start, $(load_now) at the end (1, 5, 15 min)" | tee -a "$BENCH/machine.txt"
say "results: $RESULTS; logs: $LOGS; corpora are kept in $BENCH (rm -rf $BENCH to regenerate)"
exit 0
