#!/usr/bin/env python3
"""Turns a simulated native session into a plain matrix as a lab's script would save it, for the CLI's
end-to-end test of the plain-matrix path: OUT.npy, units x time spike counts at 120 Hz with half a
second of grey screen (frame -1) between repeats, and OUT_frames.csv, the frame of each time point.

Usage: make_matrix_session.py NATIVE.neurolens.h5 OUT.npy
"""
import sys

import h5py
import numpy as np

native, out = sys.argv[1], sys.argv[2]
with h5py.File(native, "r") as f:
    counts = f["responses/counts"][()]
    frame = f["stimulus/frame"][()]
R, B, U = counts.shape
gap = 60
blocks, labels = [], []
for r in range(R):
    blocks += [counts[r], np.zeros((gap, U), counts.dtype)]
    labels += [frame, np.full(gap, -1)]
np.save(out, np.concatenate(blocks).T.astype(np.int32))
np.savetxt(out[:-4] + "_frames.csv", np.concatenate(labels), fmt="%d", header="frame", comments="")
