#!/usr/bin/env bash
# Runs the benchmarks of the README's performance section against a build folder (default build/dev).
# Needs python3-sklearn, python3-h5py and libopenblas0-pthread (packaging/debian-packages.txt).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-${root}/build/dev}"
py=/usr/bin/python3
[[ -x "${py}" ]] || py=python3
echo "== $("${build}/app/cli/neurolens-cli" --version)"
echo "== Whole processes against the Python peers' whole scripts (default and busier sessions)"
"${py}" "${root}/tests/bench/whole_process.py" "${build}" "${RUNS:-2}"
if [[ -x "${build}/app/gui/neurolens" ]]; then
  echo
  echo "== The window: shown, and every view drawn (first start generates the session, later ones read it)"
  cache="$(mktemp -d)"
  for run in 1 2 3; do
    XDG_CACHE_HOME="${cache}" xvfb-run -a -s '-screen 0 1600x1000x24' "${build}/app/gui/neurolens" --startup-times 2>&1 |
      grep '^neurolens:' | tr '\n' ' '
    echo
  done
  rm -rf "${cache}"
fi
echo
echo "== Simulated session against the seed report (seeds 1-5)"
"${build}/tests/bench/neurolens-sim-calibration" 1 2 3 4 5
echo
echo "== PCA: neurolens vs scikit-learn"
"${py}" "${root}/tests/bench/pca_vs_sklearn.py" "${build}" 5

echo
echo "== Frame decoders: neurolens vs scikit-learn (Lasso, kNN, multinomial logistic regression)"
"${py}" "${root}/tests/bench/decoders_vs_sklearn.py" "${build}" lasso,knn,logistic 5

echo
echo "== The logistic regression's sparse products, ms (default and busier sessions, 900 classes)"
sessions="$(mktemp -d)"
for scale in 1 2; do
  "${build}/app/cli/neurolens-cli" simulate --out "${sessions}/s.neurolens.h5" --rate-scale "${scale}" -q >/dev/null
  "${build}/tests/bench/neurolens-sparse-bench" "${sessions}/s.neurolens.h5" 21
done
rm -rf "${sessions}"

echo
echo "== t-SNE: neurolens vs scikit-learn (9 000 points), and 100 000 points"
"${py}" "${root}/tests/bench/tsne_vs_sklearn.py" "${build}" 3

echo
echo "== CEBRA training: neurolens vs PyTorch (offset10, batch 512)"
"${py}" "${root}/tests/bench/cebra_vs_pytorch.py" "${build}" 60

echo
echo "== NWB: converting a generated session with 10^8 spikes, neurolens vs h5py"
"${py}" "${root}/tests/bench/nwb_convert_vs_h5py.py" "${build}" "${NWB_SPIKES:-1e8}" 2000

if [[ -x "${build}/tests/bench/neurolens-gui-bench" ]]; then
  echo
  echo "== GUI: rotating 36 000 points, longest GUI-thread stall during an analysis (Xvfb, llvmpipe)"
  xvfb-run -a -s '-screen 0 1600x1000x24' "${build}/tests/bench/neurolens-gui-bench"
fi
