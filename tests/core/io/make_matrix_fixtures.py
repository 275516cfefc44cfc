#!/usr/bin/env python3
"""Writes fixtures/matrix/: plain matrices of responses with their frame labels, as a lab's own
scripts would save them with numpy and h5py (independently of neurolens), for MatrixReaderTest.cpp.

Run once with Debian's python3-numpy and python3-h5py:
    /usr/bin/python3 tests/core/io/make_matrix_fixtures.py
The session (33 time points, 3 units): a 4-frame movie with 2 time points per frame, shown from
t = 0, 10 and 19, with time points 8, 9 and 18 showing no movie (frame -1), and a fourth showing
cut short at t = 27-32 (frames 0-2 only: left out). Unit u at time point t holds 100 u + t.
- units_by_time.npy  float64 [3, 33]; frames.npy int64 [33]; frames.csv (a header, one per line)
- time_by_units.npz  'responses' float32 [33, 3], 'frames', 'repeats' (0 0 ... 3; -1 in the gaps)
- continuous.csv     a header row, then [33, 3] of 0.5 (100 u + t) - 3 (negative values)
- session.h5         /session/responses float32 [33, 3] and /session/frames
- square.npy         [33, 33]: as many units as time points (the orientation must be given)
"""
import os

import h5py
import numpy as np

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "matrix")
os.makedirs(here, exist_ok=True)
frames = np.array([0, 0, 1, 1, 2, 2, 3, 3, -1, -1] + [0, 0, 1, 1, 2, 2, 3, 3, -1]
                  + [0, 0, 1, 1, 2, 2, 3, 3] + [0, 0, 1, 1, 2, 2], dtype=np.int64)
repeats = np.array([0] * 8 + [-1] * 2 + [1] * 8 + [-1] + [2] * 8 + [3] * 6, dtype=np.int64)
T = frames.size
values = np.array([[100.0 * u + t for t in range(T)] for u in range(3)])  # units x time

np.save(os.path.join(here, "units_by_time.npy"), values)
np.save(os.path.join(here, "frames.npy"), frames)
with open(os.path.join(here, "frames.csv"), "w") as f:
    f.write("frame\n" + "".join(f"{v}\n" for v in frames))
np.savez(os.path.join(here, "time_by_units.npz"), responses=values.T.astype(np.float32), frames=frames,
         repeats=repeats)
with open(os.path.join(here, "continuous.csv"), "w") as f:
    f.write("unit_0,unit_1,unit_2\n")
    for t in range(T):
        f.write(",".join(f"{0.5 * values[u, t] - 3:g}" for u in range(3)) + "\n")
with h5py.File(os.path.join(here, "session.h5"), "w") as f:
    f.create_dataset("session/responses", data=values.T.astype(np.float32))
    f.create_dataset("session/frames", data=frames)
np.save(os.path.join(here, "square.npy"), np.tile(values[:1], (T, 1)))
