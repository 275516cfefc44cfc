#!/usr/bin/env python3
"""t-SNE of neurolens against scikit-learn on the same simulated session, in one run; then 100 000 points.

Usage: tsne_vs_sklearn.py BUILD_DIR [SEEDS=1]
1. The default simulated session at 30 Hz with silent units dropped (9 000 samples x ~765 units): neurolens-cli
   tsne (2D, perplexity 30, 1000 iterations) against sklearn.manifold.TSNE with the same settings
   (Barnes-Hut, angle 0.5, learning_rate="auto"), both timed from the samples in memory to the layout
   (neurolens' "seconds"), seeds 1..SEEDS, from three kinds of start:
     pca     each side its own PCA initialisation (scikit-learn's randomised PCA, neurolens' exact one);
     random  each side its own random initialisation;
     shared  the identical array on both sides: the exact PCA projection scaled to deviation 1e-4, plus
             1e-6 x N(0, 1) drawn from the seed (neurolens reads it with --init NAME from the file).
   t-SNE is chaotic: the final KL divergence moves by a few hundredths with the start and with any change
   in the order of floating-point sums, so the comparison is over seeds. Each side reports a KL divergence
   with its own approximation of the normalisation Z (scikit-learn: Barnes-Hut's) and its own affinities;
   this script also computes the exact KL divergence of both final layouts under one affinity matrix
   (scikit-learn's), which is what the means compare.
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
from sklearn.manifold._t_sne import _joint_probabilities_nn
from sklearn.neighbors import NearestNeighbors


def ours(cli, path, *args):
    out = subprocess.run([cli, "tsne", path, "--json", "-q", *args], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def affinities(X, perplexity=30.0):
    """scikit-learn's P (symmetrised, normalised, sparse), as its TSNE computes it."""
    k = min(X.shape[0] - 1, int(3.0 * perplexity + 1))
    d = NearestNeighbors(n_neighbors=k).fit(X).kneighbors_graph(mode="distance")
    d.data **= 2
    return _joint_probabilities_nn(d, perplexity, 0).tocoo()


def exact_kl(P, Y):
    """KL(P || Q) with Q from the exact sum over all pairs (float64)."""
    Y = Y.astype(np.float64)
    z = 0.0
    sq = (Y ** 2).sum(1)
    for a in range(0, Y.shape[0], 1000):
        d2 = np.maximum(sq[a:a + 1000, None] + sq[None, :] - 2 * Y[a:a + 1000] @ Y.T, 0)
        z += (1.0 / (1.0 + d2)).sum()
    z -= Y.shape[0]  # the diagonal
    d2 = ((Y[P.row] - Y[P.col]) ** 2).sum(1)
    q = 1.0 / (1.0 + d2) / z
    keep = P.data > 0
    return float((P.data[keep] * np.log(P.data[keep] / q[keep])).sum())


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
        P = affinities(X)
        # The shared starts, stored in the file for neurolens.
        centred = X.astype(np.float64) - X.mean(0)
        pcs = centred @ np.linalg.svd(centred, full_matrices=False)[2][:2].T
        pcs *= 1e-4 / pcs[:, 0].std()
        starts = {}
        with h5py.File(binned, "a") as f:
            for seed in range(1, seeds + 1):
                start = (pcs + 1e-6 * np.random.default_rng(seed).normal(size=pcs.shape)).astype(np.float32)
                f.create_dataset(f"results/start{seed}", data=start)
                starts[seed] = start
        layout = os.path.join(tmp, "layout.neurolens.h5")
        for init in ("pca", "random", "shared"):
            rows = {"neurolens": [], "scikit-learn": []}
            for seed in range(1, seeds + 1):
                a = ours(cli, binned, "--bin", "1", "--keep-silent", "--seed", str(seed), "--out", layout,
                         "--init", f"start{seed}" if init == "shared" else init)
                with h5py.File(layout, "r") as f:
                    mine = f["results/tsne"][()]
                os.remove(layout)
                t0 = time.perf_counter()
                m = TSNE(2, perplexity=30, n_iter=1000, init=starts[seed] if init == "shared" else init,
                         learning_rate="auto", random_state=seed, method="barnes_hut", angle=0.5)
                theirs_layout = m.fit_transform(X)
                theirs = time.perf_counter() - t0
                rows["neurolens"].append((a["seconds"], a["kl_divergence"], exact_kl(P, mine)))
                rows["scikit-learn"].append((theirs, m.kl_divergence_, exact_kl(P, theirs_layout)))
                (t1, k1, e1), (t2, k2, e2) = rows["neurolens"][-1], rows["scikit-learn"][-1]
                print(f"init {init}, seed {seed}: neurolens {t1:6.2f} s (KL {k1:.3f} reported, {e1:.3f} exact)   "
                      f"scikit-learn {t2:6.2f} s (KL {k2:.3f} reported, {e2:.3f} exact)   ratio {t2 / t1:.1f}x", flush=True)
            if seeds > 1:
                summary = "   ".join(f"{side} {np.mean([r[0] for r in v]):.2f} s, exact KL {np.mean([r[2] for r in v]):.3f} "
                                       f"+- {np.std([r[2] for r in v]):.3f}" for side, v in rows.items())
                ratio = np.mean([r[0] for r in rows["scikit-learn"]]) / np.mean([r[0] for r in rows["neurolens"]])
                print(f"init {init}, mean over {seeds} seeds: {summary}   ratio {ratio:.1f}x", flush=True)

        big = os.path.join(tmp, "big.neurolens.h5")
        subprocess.run([cli, "simulate", "--out", big, "--repeats", "28", "-q"], check=True, stdout=subprocess.DEVNULL)
        t0 = time.perf_counter()
        b = ours(cli, big, "--bin", "1", "--input", "pca:50")
        wall = time.perf_counter() - t0
        print(f"{b['samples']} samples (first 50 PCs): neurolens {b['seconds']:.1f} s for the t-SNE "
              f"(KL {b['kl_divergence']:.3f}), {wall:.1f} s for the whole command (reading, binning, PCA included)")


if __name__ == "__main__":
    main()
