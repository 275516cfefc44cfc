#!/usr/bin/env bash
# Builds the readers' libFuzzer targets (the `fuzz` preset: clang 14, ASan + UBSan) and runs each for
# SECONDS (default 60) from its seed corpus: the small valid files in tests/core/io/fixtures for the
# .npy / .npz / torch.save targets (fuzz_torch where LibTorch is installed), the seed files
# fuzz_hdf5 writes itself, the Kilosort fixture's files (CSV, params.py, TSV, .npy) for
# fuzz_kilosort, the plain-matrix fixture's CSV files for fuzz_matrix. Prints each target's
# executions and result; exits non-zero after any finding (its input is kept in
# build/fuzz/findings/). JOBS targets run at a time (default 2).
# Usage: [JOBS=N] scripts/run-fuzzers.sh [SECONDS]
set -euo pipefail
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "${root}"
cmake --preset fuzz >/dev/null
cmake --build build/fuzz --target neurolens-fuzzers -j"${JOBS:-2}" >/dev/null
bin=build/fuzz/tests/fuzz
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "${work}"' EXIT
mkdir -p build/fuzz/findings "${work}/npy" "${work}/npz" "${work}/hdf5" "${work}/torch" "${work}/kilosort" "${work}/matrix"
cp tests/core/io/fixtures/*.npy tests/core/io/fixtures/movie_dataset.h5 "${work}/npy/"
cp tests/core/io/fixtures/*.npz "${work}/npz/"
cp tests/core/io/fixtures/*.pth "${work}/torch/"
# fuzz_kilosort: a selector byte (which file of the folder) before each fixture file's content.
ks=tests/core/io/fixtures/kilosort
i=0
for f in "${ks}/frame_times.csv" "${ks}/frame_times.csv" "${ks}/params.py" "${ks}/cluster_group.tsv" \
    "${ks}/spike_times.npy" "${ks}/spike_clusters.npy"; do
  { printf "\\$(printf '%03o' "${i}")"; cat "${f}"; } > "${work}/kilosort/seed${i}"
  i=$((i + 1))
done
# fuzz_matrix: a selector byte (matrix, frame labels, repeat labels) before each CSV's content.
mx=tests/core/io/fixtures/matrix
{ printf '\000'; cat "${mx}/continuous.csv"; } > "${work}/matrix/seed0"
{ printf '\001'; cat "${mx}/frames.csv"; } > "${work}/matrix/seed1"
{ printf '\002'; printf '0\n0\n1\n1\n'; } > "${work}/matrix/seed2"
targets="fuzz_npy fuzz_npz fuzz_hdf5 fuzz_kilosort fuzz_matrix"
[ -x "${bin}/fuzz_torch" ] && targets="${targets} fuzz_torch"
# Each target for SECONDS, JOBS of them at a time (each is one process on one core).
fuzz() {
  local target="$1" corpus="${work}/${1#fuzz_}" log="${work}/$1.log"
  if ! "${bin}/${target}" -max_total_time="${seconds}" -max_len=4096 -len_control=0 -rss_limit_mb=2048 \
      -timeout=30 -artifact_prefix=build/fuzz/findings/"${target}"- -print_final_stats=1 "${corpus}" \
      >"${log}" 2>&1; then
    tail -n 40 "${log}" >&2
    echo "${target}: FINDING (input in build/fuzz/findings/)" >&2
    return 1
  fi
  echo "${target}: $(sed -n 's/^stat::number_of_executed_units: *//p' "${log}") executions in ${seconds} s, no findings"
}
failed=0
running=()
for target in ${targets}; do
  fuzz "${target}" &
  running+=("$!")
  if (( ${#running[@]} >= ${JOBS:-2} )); then
    wait "${running[0]}" || failed=1
    running=("${running[@]:1}")
  fi
done
for pid in "${running[@]}"; do wait "${pid}" || failed=1; done
exit "${failed}"
