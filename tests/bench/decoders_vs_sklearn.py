#!/usr/bin/env python3
"""Frame decoders of neurolens against scikit-learn on the same simulated session, in one run.

Usage: decoders_vs_sklearn.py BUILD_DIR [MODELS=lasso,knn,logistic] [REPEATS=3]
Simulates the default session, bins it to 30 Hz with silent units dropped (neurolens-cli convert), then
for each model times `neurolens-cli decode` (train repeats 0-8, test 9; its own wall time minus the
time it takes to read and preprocess, reported as "seconds") and the scikit-learn equivalent on the
identical matrices, doing the same work (fit, then predict the training and the test repeats): Lasso(alpha=0.08), KNeighborsClassifier(5, cosine), LogisticRegression(C=1,
multinomial, lbfgs, max_iter=100) on features standardised with the training mean and deviation.
The two sides alternate, REPEATS times each, with a pause before each run (this machine's speed drifts
by 10-30 % within minutes):
the medians, their ratio, and the range of the ratios of each alternating pair are printed.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np
from sklearn.linear_model import Lasso, LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler


def ours(cli, binned, m):
    out = subprocess.run([cli, "decode", binned, "--model", m, "--bin", "1", "--keep-silent", "--json", "-q"],
                         check=True, capture_output=True, text=True).stdout
    d = json.loads(out)
    score = {"lasso": d.get("r2"), "knn": d.get("within_1s"), "logistic": d.get("test_accuracy")}[m]
    return d["seconds"], score


def theirs(m, Xtr, ytr, Xte, yte):
    """The same work as neurolens' decode: fit, then score the training and the test repeats."""
    t0 = time.perf_counter()
    iterations = None
    if m == "lasso":
        model = Lasso(alpha=0.08).fit(Xtr, ytr)
        model.predict(Xtr)
        pred = model.predict(Xte)
        score = 1 - ((pred - yte) ** 2).sum() / ((yte - yte.mean()) ** 2).sum()
    elif m == "knn":
        model = KNeighborsClassifier(5, metric="cosine", algorithm="brute").fit(Xtr, ytr)
        model.predict(Xtr)
        pred = model.predict(Xte)
        score = np.mean(np.abs(pred - yte) < 30)
    else:
        sc = StandardScaler().fit(Xtr)
        model = LogisticRegression(C=1.0, max_iter=100, multi_class="multinomial").fit(sc.transform(Xtr), ytr)
        model.predict(sc.transform(Xtr))
        pred = model.predict(sc.transform(Xte))
        score = np.mean(pred == yte)
        iterations = int(model.n_iter_[0])
    return time.perf_counter() - t0, score, iterations


def main():
    build = sys.argv[1]
    models = (sys.argv[2] if len(sys.argv) > 2 else "lasso,knn,logistic").split(",")
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    cli = os.path.join(build, "app/cli/neurolens-cli")
    labels = {"lasso": "test R2", "knn": "within 1 s", "logistic": "test exact"}
    with tempfile.TemporaryDirectory() as tmp:
        raw, binned = os.path.join(tmp, "s.neurolens.h5"), os.path.join(tmp, "s30.neurolens.h5")
        subprocess.run([cli, "simulate", "--out", raw, "-q"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([cli, "convert", raw, "--out", binned, "--bin", "4", "--drop-silent", "-q"], check=True,
                       stdout=subprocess.DEVNULL)
        with h5py.File(binned, "r") as f:
            counts = f["responses/counts"][()].astype(np.float32)
            frames = f["stimulus/frame"][()]
        Xtr, Xte = counts[:9].reshape(-1, counts.shape[2]), counts[9]
        ytr, yte = np.tile(frames, 9), frames
        print(f"data: {Xtr.shape[0]} training x {Xtr.shape[1]} units, {Xte.shape[0]} test samples; {repeats} alternating runs")
        for m in models:
            a, b, ratios = [], [], []
            for _ in range(repeats):
                # A pause before each side: OpenBLAS's threads keep spinning for a while after
                # scikit-learn's last call, and took a core from the next neurolens run (seen: 3.5 s
                # instead of 2.1).
                time.sleep(2)
                sa, score_a = ours(cli, binned, m)
                time.sleep(2)
                sb, score_b, iterations = theirs(m, Xtr, ytr, Xte, yte)
                a.append(sa)
                b.append(sb)
                ratios.append(sb / sa)
            if iterations is not None:
                print(f"scikit-learn's lbfgs stopped after {iterations} iterations")
            ma, mb = float(np.median(a)), float(np.median(b))
            print(f"{m:9s} neurolens {ma:6.2f} s ({min(a):.2f}-{max(a):.2f}; {labels[m]} {score_a:.3f})   "
                  f"scikit-learn {mb:6.2f} s ({min(b):.2f}-{max(b):.2f}; {labels[m]} {score_b:.3f})   "
                  f"ratio {mb / ma:.1f}x (pairs {min(ratios):.1f}-{max(ratios):.1f}x)")


if __name__ == "__main__":
    main()
