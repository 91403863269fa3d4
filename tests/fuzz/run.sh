#!/usr/bin/env bash
# Runs one fuzz target for ctest (label fuzz). With libFuzzer: its
# regression inputs once each, then a short fuzzing run over a copy of its
# seeds in WORKDIR (the repository is never written); a crash, leak,
# timeout or failed property fails the test and leaves the input in
# WORKDIR/artifacts. With the replay main (gcc): every seed and
# regression input once.
#   usage: run.sh libfuzzer|replay TARGET WORKDIR SECONDS REGRESSIONS SEED...
set -eu
engine=$1 target=$2 work=$3 seconds=$4 regressions=$5
shift 5
regs=()
if [ -d "$regressions" ]; then
	mapfile -t regs < <(find "$regressions" -type f ! -name '.*' | sort)
fi
if [ "$engine" = replay ]; then
	exec "$target" "$@" "${regs[@]}"
fi
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
for seed in "$@"; do
	if [ -d "$seed" ]; then
		find "$seed" -maxdepth 1 -type f ! -name '.*' -exec cp {} "$work/corpus/" \;
	else
		cp "$seed" "$work/corpus/"
	fi
done
if [ ${#regs[@]} -gt 0 ]; then
	"$target" -artifact_prefix="$work/artifacts/" "${regs[@]}"
fi
exec "$target" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
	-artifact_prefix="$work/artifacts/" "$work/corpus"
