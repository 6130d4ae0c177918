#!/usr/bin/env bash
# Runs the libFuzzer targets of Fuzz/ (docs/FUZZING.md), built by `make fuzz-build` into
# .build-fuzz. For each target it first replays Fuzz/Regressions/<Target>/ (inputs that
# once crashed), then fuzzes from the committed seeds in Fuzz/Corpus/<Target>/, writing new
# inputs to .build-fuzz/corpus/<Target>/ and any crash to .build-fuzz/artifacts/.
#   Fuzz/run.sh smoke            each target for FUZZ_SMOKE_RUNS runs (default 20000), at most 10 s
#   Fuzz/run.sh run SECONDS      each target for SECONDS
#   Fuzz/run.sh runs N           each target for N executions (the long run)
# FUZZ_TARGETS="FuzzCode FuzzEnvelope" picks targets; FUZZ_JOBS=2 runs two at a time.
# Exits non-zero when a target crashes, leaks, times out or fails a regression.
set -euo pipefail
# A Swift trap is reported by libFuzzer; the backtracer would only trip ASan reading the stack.
export SWIFT_BACKTRACE=enable=no
cd "$(dirname "$0")/.."

mode=${1:?usage: Fuzz/run.sh smoke | run SECONDS | runs N}
bin=${FUZZ_BIN:-.build-fuzz/debug}
targets=${FUZZ_TARGETS:-FuzzMultipart FuzzCode FuzzEnvelope FuzzAttachment FuzzKeyFile FuzzSignatureHeaders FuzzAPIJSON FuzzCatalogue FuzzAgent}
case "$mode" in
    smoke) limits=(-runs="${FUZZ_SMOKE_RUNS:-20000}" -max_total_time=10) ;;
    run) limits=(-max_total_time="${2:?seconds}") ;;
    runs) limits=(-runs="${2:?executions}") ;;
    *) echo "usage: Fuzz/run.sh smoke | run SECONDS | runs N" >&2; exit 2 ;;
esac
mkdir -p .build-fuzz/artifacts .build-fuzz/logs

fuzz_one() {
    local target=$1 exe="$bin/$1" log=".build-fuzz/logs/$1.log"
    local regressions=(Fuzz/Regressions/"$target"/*)
    if [ -e "${regressions[0]}" ]; then
        "$exe" "${regressions[@]}" >"$log.regressions" 2>&1 || {
            echo "fuzz: $target fails a regression input, see $log.regressions" >&2; return 1; }
    fi
    mkdir -p ".build-fuzz/corpus/$target"
    # -rss_limit_mb: ASan's shadow plus a 255 KiB round trip stays far below it.
    if "$exe" "${limits[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix=".build-fuzz/artifacts/$target-" \
        ".build-fuzz/corpus/$target" "Fuzz/Corpus/$target" >"$log" 2>&1; then
        local runs rate
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
        printf 'fuzz: %-21s %10s runs %7s exec/s\n' "$target" "$runs" "$rate"
    else
        echo "fuzz: $target FAILED, see $log; the input is in .build-fuzz/artifacts/$target-*" >&2
        grep -m1 -E 'ERROR|Fatal error|deadly signal' "$log" >&2 || true
        return 1
    fi
}

status=0
jobs=${FUZZ_JOBS:-1}
running=0
for target in $targets; do
    fuzz_one "$target" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then wait -n || status=1; running=$((running - 1)); fi
done
while [ "$running" -gt 0 ]; do wait -n || status=1; running=$((running - 1)); done
exit $status
