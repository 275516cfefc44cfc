#!/usr/bin/env python3
"""Checks the native *.neurolens.h5 layout (docs/formats.md) from the h5py side.

  h5py_interop.py describe FILE   print what h5py sees in a neurolens-written file, as JSON
  h5py_interop.py write FILE      write a file in the layout the way a user's script would
                                  (int32 ids, fixed-length byte strings, float64 QC, uint16 counts)
"""
import json
import sys

import h5py
import numpy as np


def describe(path):
    with h5py.File(path, "r") as f:
        counts = f["responses/counts"]
        out = {
            "format": f.attrs["format"],
            "format_version": int(f.attrs["format_version"]),
            "counts_dtype": str(counts.dtype),
            "counts_shape": list(counts.shape),
            "counts_sum": float(np.asarray(counts, dtype=np.float64).sum()),
            "counts_1_2_3": float(counts[1, 2, 3]),
            "bins_per_frame": int(counts.attrs["bins_per_frame"]),
            "bin_rate_hz": float(counts.attrs["bin_rate_hz"]),
            "unit_ids": [int(v) for v in f["units/id"][()]],
            "areas": list(f["units/area"].asstr()[()]),
            "snr": [float(v) for v in f["units/snr"][()]],
            "frames": [int(v) for v in f["stimulus/frame"][()]],
            "blocks": [int(v) for v in f["stimulus/block"][()]],
            "movie_shape": list(f["movie/frames"].shape),
            "movie_dtype": str(f["movie/frames"].dtype),
            "movie_sum": int(np.asarray(f["movie/frames"], dtype=np.int64).sum()),
        }
    print(json.dumps(out))


def write(path):
    rng = np.random.default_rng(3)
    repeats, bins, units = 4, 12, 5
    counts = rng.poisson(1.3, size=(repeats, bins, units)).astype(np.uint16)
    counts[:, 0, :] = 1  # every unit fires in every repeat
    with h5py.File(path, "w") as f:
        f.attrs["format"] = "neurolens"
        f.attrs["format_version"] = 1
        f.attrs["source"] = "h5py"
        f.attrs["created"] = "2026-11-28T00:00:00Z"
        f.create_dataset("units/id", data=np.arange(100, 100 + units, dtype=np.int32))
        f.create_dataset("units/area", data=np.array([b"VISp", b"VISl", b"VISp", b"VISam", b"VISp"], dtype="S5"))
        f.create_dataset("units/presence_ratio", data=np.linspace(0.9, 1.0, units))
        d = f.create_dataset("responses/counts", data=counts, compression="gzip")
        d.attrs["bins_per_frame"] = 3
        d.attrs["bin_rate_hz"] = 90.0
        d.attrs["frame_rate_hz"] = 30.0
        f.create_dataset("stimulus/frame", data=np.repeat(np.arange(bins // 3), 3).astype(np.int64))
        f.create_dataset("stimulus/block", data=np.array([0, 0, 1, 1], dtype=np.int16))
        f.create_dataset("movie/frames", data=(np.arange(4 * 6 * 8) % 251).astype(np.uint8).reshape(4, 6, 8))
        feat = f.create_dataset("features/dino", data=np.arange(8, dtype=np.float32).reshape(4, 2))
        feat.attrs["source"] = "dino_vitb8"
        emb = f.create_dataset("results/pca", data=np.ones((repeats * bins, 3), dtype=np.float32))
        emb.attrs["method"] = "pca"
        emb.attrs["params"] = "{}"
        emb.attrs["seed"] = 0
    print(json.dumps({"counts_sum": int(counts.sum()), "counts_1_2_3": int(counts[1, 2, 3])}))


if __name__ == "__main__":
    {"describe": describe, "write": write}[sys.argv[1]](sys.argv[2])
