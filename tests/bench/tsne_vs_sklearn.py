#!/usr/bin/env python3
"""t-SNE of neurolens against scikit-learn on the same simulated session, in one run; then 100 000 points.

Usage: tsne_vs_sklearn.py BUILD_DIR [SEEDS=1]
1. The default simulated session at 30 Hz with silent units dropped (9 000 samples x ~765 units): neurolens-cli
   tsne (2D, perplexity 30, 1000 iterations, PCA initialisation) against sklearn.manifold.TSNE with the same
   settings (Barnes-Hut, angle 0.5, learning_rate="auto", init="pca"), both timed from the samples in memory
   to the layout (neurolens' "seconds"), KL divergences as each reports it. SEEDS repeats the pair with
   different seeds, and then with random initialisation (t-SNE is chaotic: the final KL divergence moves
   by a few hundredths with the seed, and with any change in the order of floating-point sums), and
   prints the mean KL divergence and time of each side over each initialisation.
2. 100 800 samples (a 28-repeat session at 120 Hz), 2D t-SNE of their first 50 principal components:
   neurolens alone (scikit-learn would take most of an hour).
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np
from sklearn.manifold import TSNE


def ours(cli, path, *args):
    out = subprocess.run([cli, "tsne", path, "--json", "-q", *args], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    build = sys.argv[1]
    seeds = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    cli = os.path.join(build, "app/cli/neurolens-cli")
    with tempfile.TemporaryDirectory() as tmp:
        raw, binned = os.path.join(tmp, "s.neurolens.h5"), os.path.join(tmp, "s30.neurolens.h5")
        subprocess.run([cli, "simulate", "--out", raw, "-q"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([cli, "convert", raw, "--out", binned, "--bin", "4", "--drop-silent", "-q"], check=True,
                       stdout=subprocess.DEVNULL)
        with h5py.File(binned, "r") as f:
            X = f["responses/counts"][()].astype(np.float32)
        X = X.reshape(-1, X.shape[2])
        print(f"data: {X.shape[0]} samples x {X.shape[1]} units")
        for init in ("pca", "random"):
            kls, times = {"neurolens": [], "scikit-learn": []}, {"neurolens": [], "scikit-learn": []}
            for seed in range(1, seeds + 1):
                a = ours(cli, binned, "--bin", "1", "--keep-silent", "--seed", str(seed), "--init", init)
                t0 = time.perf_counter()
                m = TSNE(2, perplexity=30, n_iter=1000, init=init, learning_rate="auto", random_state=seed,
                         method="barnes_hut", angle=0.5)
                m.fit_transform(X)
                theirs = time.perf_counter() - t0
                kls["neurolens"].append(a["kl_divergence"])
                kls["scikit-learn"].append(m.kl_divergence_)
                times["neurolens"].append(a["seconds"])
                times["scikit-learn"].append(theirs)
                print(f"init {init}, seed {seed}: neurolens {a['seconds']:6.2f} s (KL {a['kl_divergence']:.3f}, "
                      f"{a['repulsion']})   scikit-learn {theirs:6.2f} s (KL {m.kl_divergence_:.3f})   "
                      f"ratio {theirs / a['seconds']:.1f}x", flush=True)
            if seeds > 1:
                summary = "   ".join(f"{side} KL {np.mean(kls[side]):.3f} +- {np.std(kls[side]):.3f}, "
                                       f"{np.mean(times[side]):.2f} s" for side in kls)
                print(f"init {init}, mean over {seeds} seeds: {summary}   ratio "
                      f"{np.mean(times['scikit-learn']) / np.mean(times['neurolens']):.1f}x", flush=True)

        big = os.path.join(tmp, "big.neurolens.h5")
        subprocess.run([cli, "simulate", "--out", big, "--repeats", "28", "-q"], check=True, stdout=subprocess.DEVNULL)
        t0 = time.perf_counter()
        b = ours(cli, big, "--bin", "1", "--input", "pca:50")
        wall = time.perf_counter() - t0
        print(f"{b['samples']} samples (first 50 PCs): neurolens {b['seconds']:.1f} s for the t-SNE "
              f"(KL {b['kl_divergence']:.3f}), {wall:.1f} s for the whole command (reading, binning, PCA included)")


if __name__ == "__main__":
    main()
