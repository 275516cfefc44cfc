#!/usr/bin/env python3
"""PCA of the same simulated session by neurolens and by scikit-learn's PCA(svd_solver="full").

Usage: pca_vs_sklearn.py BUILD_DIR [REPEATS]
Simulates the default session (800 units, 10 repeats, 900 frames, seed 1) with neurolens-cli, then
times neurolens' fitPca (neurolens-pca-bench) and scikit-learn on the identical 9000 x ~770 float32
matrix (silent units dropped, 4 bins averaged per frame), median of REPEATS runs each.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np
import sklearn
from sklearn.decomposition import PCA


def main():
    build = sys.argv[1]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    cli = os.path.join(build, "app/cli/neurolens-cli")
    bench = os.path.join(build, "tests/bench/neurolens-pca-bench")
    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, "session.neurolens.h5")
        binned = os.path.join(tmp, "session30.neurolens.h5")
        subprocess.run([cli, "simulate", "--out", raw, "--quiet"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([cli, "convert", raw, "--out", binned, "--bin", "4", "--drop-silent", "--quiet"],
                       check=True, stdout=subprocess.DEVNULL)
        ours = json.loads(subprocess.run([bench, binned, str(repeats)], check=True,
                                         capture_output=True, text=True).stdout)
        with h5py.File(binned, "r") as f:
            counts = f["responses/counts"][()]
        X = counts.reshape(-1, counts.shape[2]).astype(np.float32)

    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        pca = PCA(svd_solver="full").fit(X)
        times.append(time.perf_counter() - t0)
    theirs = sorted(times)[len(times) // 2]
    c90 = int(np.searchsorted(np.cumsum(pca.explained_variance_ratio_), 0.90 - 1e-12) + 1)
    print(f"data: {X.shape[0]} samples x {X.shape[1]} units (float32), median of {repeats} runs")
    print(f"scikit-learn {sklearn.__version__} PCA(svd_solver='full'):     {theirs:.3f} s  (components for 90 %: {c90})")
    print(f"neurolens fitPca, spectrum + 3 axes:     {ours['seconds']:.3f} s  (components for 90 %: {ours['components_90']})"
          f"  ratio {theirs / ours['seconds']:.1f}x")
    print(f"neurolens fitPca, spectrum + all axes:   {ours['seconds_all_axes']:.3f} s"
          f"  ratio {theirs / ours['seconds_all_axes']:.1f}x")


if __name__ == "__main__":
    main()
