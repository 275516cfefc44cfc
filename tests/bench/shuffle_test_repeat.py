#!/usr/bin/env python3
"""Copies a native neurolens file with the bins of its last repeat permuted in time (seeded), so that
repeat holds no information about which frame is on screen: every held-out decoder must score it at
chance. Usage: shuffle_test_repeat.py IN.neurolens.h5 OUT.neurolens.h5 [SEED]"""
import shutil
import sys

import h5py
import numpy as np

src, dst = sys.argv[1], sys.argv[2]
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
shutil.copyfile(src, dst)
with h5py.File(dst, "r+") as f:
    counts = f["/responses/counts"]
    last = counts[-1]
    order = np.random.default_rng(seed).permutation(last.shape[0])
    counts[-1] = last[order]
    repeats, bins = counts.shape[0], counts.shape[1]
print(f"{dst}: the {bins} bins of repeat {repeats - 1} permuted (seed {seed})")
