#!/usr/bin/env bash
# Characterize one design as a Slurm job array of N shards plus a dependent
# merge job. Returns once both are queued; see README.md.
#
#   bench/slurm/submit.sh NETLIST LIB OUT N [characterize options...]
#
# Writes SHARDS/0 .. SHARDS/N-1 (SHARDS defaults to OUT.shards), the job
# logs to SHARDS/logs/, and the merged table directory to OUT. Environment:
#   POWERPRUNE      the powerprune binary (default: the one on PATH, else
#                   this checkout's target/release/powerprune)
#   CPUS_PER_SHARD  CPUs (worker threads) per array task (default 1)
#   SHARDS          shard directory (default OUT.shards)
#   SBATCH_OPTS     extra sbatch options for both jobs, e.g.
#                   "--partition=cpu --account=proj --time=02:00:00"
#   ARRAY_LIMIT     run at most this many array tasks at once (--array=...%K)
# The last line of output is `ARRAY_JOB=<id> MERGE_JOB=<id>`.
set -euo pipefail

if [ "$#" -lt 4 ]; then
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
netlist=$(realpath "$1")
lib=$(realpath "$2")
out=$(realpath -m "$3")
count=$4
shift 4
case "$count" in
  '' | *[!0-9]* | 0) echo "N=$count: expected a positive number of shards" >&2; exit 2 ;;
esac

bin=${POWERPRUNE:-$(command -v powerprune || true)}
if [ -z "$bin" ]; then
  bin="${CARGO_TARGET_DIR:-$here/../../target}/release/powerprune"
fi
[ -x "$bin" ] || { echo "powerprune binary not found at '$bin' (set POWERPRUNE)" >&2; exit 2; }
bin=$(realpath "$bin")
shards=$(realpath -m "${SHARDS:-$out.shards}")
cpus=${CPUS_PER_SHARD:-1}
read -r -a opts <<< "${SBATCH_OPTS:-}"

mkdir -p "$shards/logs"
range="0-$((count - 1))${ARRAY_LIMIT:+%$ARRAY_LIMIT}"
# --parsable prints "id" or "id;cluster".
array_job=$(sbatch --parsable "${opts[@]}" --array="$range" --cpus-per-task="$cpus" \
  --output="$shards/logs/shard_%a.out" \
  "$here/characterize_array.sbatch" "$bin" "$netlist" "$lib" "$shards" "$count" "$@")
array_job=${array_job%%;*}
# Without --kill-on-invalid-dep a failed shard would leave the merge pending
# forever (DependencyNeverSatisfied) on clusters that do not kill such jobs.
merge_job=$(sbatch --parsable "${opts[@]}" --dependency="afterok:$array_job" \
  --kill-on-invalid-dep=yes --output="$shards/logs/merge.out" \
  "$here/merge.sbatch" "$bin" "$shards" "$count" "$out")
merge_job=${merge_job%%;*}
echo "characterize: array job $array_job ($count shards) -> $shards"
echo "merge: job $merge_job (after every shard succeeds) -> $out"
echo "ARRAY_JOB=$array_job MERGE_JOB=$merge_job"
