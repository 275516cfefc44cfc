#!/usr/bin/env python3
"""Frame decoders of neurolens against scikit-learn on the same simulated session, in one run.

Usage: decoders_vs_sklearn.py BUILD_DIR [MODELS=lasso,knn,logistic]
Simulates the default session, bins it to 30 Hz with silent units dropped (neurolens-cli convert), then
for each model times `neurolens-cli decode` (train repeats 0-8, test 9; its own wall time minus the
time it takes to read and preprocess, reported as "seconds") and the scikit-learn equivalent on the
identical matrices, doing the same work (fit, then predict the training and the test repeats): Lasso(alpha=0.08), KNeighborsClassifier(5, cosine), LogisticRegression(C=1,
multinomial, lbfgs, max_iter=100) on features standardised with the training mean and deviation.
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


def main():
    build = sys.argv[1]
    models = (sys.argv[2] if len(sys.argv) > 2 else "lasso,knn,logistic").split(",")
    cli = os.path.join(build, "app/cli/neurolens-cli")
    with tempfile.TemporaryDirectory() as tmp:
        raw, binned = os.path.join(tmp, "s.neurolens.h5"), os.path.join(tmp, "s30.neurolens.h5")
        subprocess.run([cli, "simulate", "--out", raw, "-q"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([cli, "convert", raw, "--out", binned, "--bin", "4", "--drop-silent", "-q"], check=True,
                       stdout=subprocess.DEVNULL)
        with h5py.File(binned, "r") as f:
            counts = f["responses/counts"][()].astype(np.float32)
            frames = f["stimulus/frame"][()]
        ours = {}
        for m in models:
            out = subprocess.run([cli, "decode", binned, "--model", m, "--bin", "1", "--keep-silent", "--json", "-q"],
                                 check=True, capture_output=True, text=True).stdout
            ours[m] = json.loads(out)
    Xtr, Xte = counts[:9].reshape(-1, counts.shape[2]), counts[9]
    ytr, yte = np.tile(frames, 9), frames
    print(f"data: {Xtr.shape[0]} training x {Xtr.shape[1]} units, {Xte.shape[0]} test samples")
    for m in models:
        t0 = time.perf_counter()
        # The same work as neurolens' decode: fit, then score the training and the test repeats.
        if m == "lasso":
            model = Lasso(alpha=0.08).fit(Xtr, ytr)
            model.predict(Xtr)
            pred = model.predict(Xte)
            score = 1 - ((pred - yte) ** 2).sum() / ((yte - yte.mean()) ** 2).sum()
            label, ours_score = "test R2", ours[m]["r2"]
        elif m == "knn":
            model = KNeighborsClassifier(5, metric="cosine", algorithm="brute").fit(Xtr, ytr)
            model.predict(Xtr)
            pred = model.predict(Xte)
            score = np.mean(np.abs(pred - yte) < 30)
            label, ours_score = "within 1 s", ours[m]["within_1s"]
        else:
            sc = StandardScaler().fit(Xtr)
            model = LogisticRegression(C=1.0, max_iter=100, multi_class="multinomial").fit(sc.transform(Xtr), ytr)
            model.predict(sc.transform(Xtr))
            pred = model.predict(sc.transform(Xte))
            score = np.mean(pred == yte)
            label, ours_score = "test exact", ours[m]["test_accuracy"]
            print(f"scikit-learn's lbfgs stopped after {int(model.n_iter_[0])} iterations")
        theirs = time.perf_counter() - t0
        print(f"{m:9s} neurolens {ours[m]['seconds']:7.2f} s ({label} {ours_score:.3f})   scikit-learn {theirs:7.2f} s "
              f"({label} {score:.3f})   ratio {theirs / ours[m]['seconds']:.1f}x")


if __name__ == "__main__":
    main()
