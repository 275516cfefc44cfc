#!/usr/bin/env python3
"""The Python peers of neurolens-cli's commands, as whole scripts: each starts the interpreter, imports
what it needs, reads the same file, does the same work and writes or prints its result, so that
whole_process.py can time it against the neurolens-cli command doing the same.

Usage: peers.py pca|logistic|tsne RECORDING     (a native file at 120 Hz, as `simulate` writes it)
       peers.py convert SESSION.nwb OUT.h5      (an Allen-layout NWB session)
       peers.py kilosort FOLDER OUT.h5          (a Kilosort / phy folder with frame_times.npy, frames.npy)
       peers.py ophys FILE.nwb OUT.h5           (a two-photon NWB file from ophys_generate.py)
The recordings are preprocessed as neurolens-cli does by default: the bins of each frame averaged (one
sample per frame), units silent in any repeat dropped; the decoder trains on repeats 0..R-2 and is
tested on the last, its features standardised with the training mean and deviation.
"""
import json
import sys

import h5py
import numpy as np


def samples(path):
    with h5py.File(path, "r") as f:
        counts = f["responses/counts"][()].astype(np.float32)
        k = int(f["responses/counts"].attrs["bins_per_frame"])
        frame = f["stimulus/frame"][()]
    R, B, U = counts.shape
    binned = counts[:, : B // k * k].reshape(R, B // k, k, U).mean(axis=2)
    kept = (binned.sum(axis=1) > 0).all(axis=0)
    return binned[:, :, kept], frame[: B // k * k : k]


def pca(path):
    from sklearn.decomposition import PCA

    X, _ = samples(path)
    X = X.reshape(-1, X.shape[2])
    ratio = PCA(svd_solver="full").fit(X).explained_variance_ratio_
    c90 = int(np.searchsorted(np.cumsum(ratio), 0.90 - 1e-12) + 1)
    return {"samples": X.shape[0], "units": X.shape[1], "components_90": c90}


def logistic(path):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    X, frames = samples(path)
    R = X.shape[0]
    Xtr, Xte = X[: R - 1].reshape(-1, X.shape[2]), X[R - 1]
    ytr, yte = np.tile(frames, R - 1), frames
    scaler = StandardScaler().fit(Xtr)
    model = LogisticRegression(C=1.0, max_iter=100, multi_class="multinomial")
    model.fit(scaler.transform(Xtr), ytr)
    train = float(np.mean(model.predict(scaler.transform(Xtr)) == ytr))
    test = float(np.mean(model.predict(scaler.transform(Xte)) == yte))
    return {"train_accuracy": train, "test_accuracy": test, "iterations": int(model.n_iter_[0])}


def tsne(path):
    from sklearn.manifold import TSNE

    X, _ = samples(path)
    X = X.reshape(-1, X.shape[2])
    model = TSNE(2, perplexity=30.0, n_iter=1000, init="pca", learning_rate="auto", random_state=1)
    model.fit_transform(X)
    return {"samples": X.shape[0], "kl_divergence": float(model.kl_divergence_)}


def convert(path, out):
    """Exact 120 Hz counts of every unit in the first block's frames, written to OUT."""
    with h5py.File(path, "r") as f:
        t = f["intervals/natural_movie_one_presentations"]
        start, stop, frame, block = (t[k][()] for k in ("start_time", "stop_time", "frame", "stimulus_block"))
        first = block == block[0]
        start, stop, frame = start[first], stop[first], frame[first]
        k = np.arange(4) / 4.0
        lo = (start[:, None] + (stop - start)[:, None] * k).ravel()
        hi = (start[:, None] + (stop - start)[:, None] * (k + 0.25)).ravel()
        hi.reshape(-1, 4)[:, 3] = stop
        index = f["units/spike_times_index"][()]
        spikes = f["units/spike_times"]
        counts = np.empty((index.size, lo.size), np.float32)
        begin = 0
        for u, end in enumerate(index):
            s = np.sort(spikes[begin:end])
            counts[u] = np.searchsorted(s, hi) - np.searchsorted(s, lo)
            begin = end
    repeats = int(np.sum(np.diff(frame) < 0) + 1)
    counts = counts.reshape(index.size, repeats, -1).transpose(1, 2, 0)
    with h5py.File(out, "w") as f:
        f.create_dataset("responses/counts", data=counts)
        f.create_dataset("stimulus/frame", data=np.repeat(frame[: counts.shape[1] // 4], 4))
    return {"units": int(index.size), "repeats": repeats}


def kilosort(folder, out):
    """Exact 120 Hz counts of the good clusters in each frame (until the next onset; the last of a
    repeat the median frame duration), from a Kilosort / phy folder and its frame onsets, written to
    OUT."""
    import os

    rate = None
    with open(os.path.join(folder, "params.py")) as f:
        for line in f:
            key, _, value = line.partition("=")
            if key.strip() == "sample_rate":
                rate = float(value.split("#")[0])
    t = np.load(os.path.join(folder, "spike_times.npy")).ravel() / rate
    clusters = np.load(os.path.join(folder, "spike_clusters.npy")).ravel()
    labels = {}
    for name in ("cluster_KSLabel.tsv", "cluster_group.tsv"):
        with open(os.path.join(folder, name)) as f:
            next(f)
            for line in f:
                c, label = line.rstrip("\n").split("\t")
                labels[int(c)] = label
    onsets = np.load(os.path.join(folder, "frame_times.npy"))
    frames = np.load(os.path.join(folder, "frames.npy"))
    rising = np.diff(frames) > 0
    typical = np.median(np.diff(onsets)[rising])
    stop = np.append(onsets[1:], np.inf)
    stop = np.where(np.append(rising, False), stop, np.minimum(onsets + typical, stop))
    k = np.arange(4) / 4.0
    lo = (onsets[:, None] + (stop - onsets)[:, None] * k).ravel()
    hi = (onsets[:, None] + (stop - onsets)[:, None] * (k + 0.25)).ravel()
    hi.reshape(-1, 4)[:, 3] = stop
    present = np.unique(clusters)
    kept = np.array([c for c in present if labels.get(int(c)) == "good"])
    row = np.full(clusters.max() + 1, -1)
    row[kept] = np.arange(kept.size)
    b = np.searchsorted(lo, t, side="right") - 1
    ok = (b >= 0) & (t < hi[np.maximum(b, 0)]) & (row[clusters] >= 0)
    counts = np.bincount(b[ok] * kept.size + row[clusters[ok]], minlength=lo.size * kept.size)
    repeats = int(np.sum(~rising) + 1)
    counts = counts.reshape(repeats, -1, kept.size).astype(np.float32)
    with h5py.File(out, "w") as f:
        f.create_dataset("responses/counts", data=counts)
        f.create_dataset("stimulus/frame", data=np.repeat(frames[: counts.shape[1] // 4], 4))
    return {"units": int(kept.size), "repeats": repeats}


def ophys(path, out):
    """Each frame's mean of the ΔF/F samples taken within it (the trace interpolated at the frame's
    middle where none was), for the whole movie table of a two-photon NWB file, written to OUT."""
    with h5py.File(path, "r") as f:
        series = f["processing/ophys/DfOverF/RoiResponseSeries"]
        t = series["timestamps"][()]
        data = series["data"][()]
        table = f["intervals/natural_movie_one_presentations"]
        lo, hi, frame = table["start_time"][()], table["stop_time"][()], table["frame"][()].astype(np.int32)
    i0, i1 = np.searchsorted(t, lo), np.searchsorted(t, hi)
    full = i1 > i0
    sums = np.add.reduceat(data, np.minimum(np.ravel(np.column_stack([i0, i1])), t.size - 1), axis=0)[::2]
    values = sums / np.maximum(i1 - i0, 1)[:, None]
    mid = 0.5 * (lo + hi)
    j = np.clip(np.searchsorted(t, mid, side="right"), 1, t.size - 1)
    w = ((mid - t[j - 1]) / (t[j] - t[j - 1]))[:, None]
    values[~full] = ((1 - w) * data[j - 1] + w * data[j])[~full]
    repeats = int(np.sum(np.diff(frame) <= 0) + 1)
    with h5py.File(out, "w") as f:
        f.create_dataset("responses/counts", data=values.astype(np.float32).reshape(repeats, -1, data.shape[1]))
        f.create_dataset("stimulus/frame", data=frame[: frame.size // repeats])
    return {"units": int(data.shape[1]), "repeats": repeats}


def main():
    task = sys.argv[1]
    result = (globals()[task](sys.argv[2], sys.argv[3]) if task in ("convert", "kilosort", "ophys")
              else globals()[task](sys.argv[2]))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
