#!/usr/bin/env python3
"""Writes the tiny movie and feature files in fixtures/ that FrameDataReaderTest.cpp reads.

Run once with Debian's python3-numpy, python3-h5py and python3-torch:
    /usr/bin/python3 tests/core/io/make_frame_data_fixtures.py
Every file describes 6 frames. Feature value at (frame f, dim d) = f + d / 10; movie pixel at
(f, y, x) = 40 f + 5 y + x.
"""
import os
import subprocess
import sys

import h5py
import numpy as np
import torch

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
os.makedirs(here, exist_ok=True)
f, d = np.meshgrid(np.arange(6), np.arange(3), indexing="ij")
features = (f + d / 10.0)
movie = (40 * np.arange(6)[:, None, None] + 5 * np.arange(4)[None, :, None] + np.arange(5)[None, None, :]).astype(np.uint8)

np.save(os.path.join(here, "features.npy"), features.astype(np.float32))
np.save(os.path.join(here, "features_fortran.npy"), np.asfortranarray(features))  # float64, Fortran order
np.savez_compressed(os.path.join(here, "features.npz"), other=np.zeros(2), features=features.astype(np.float32))
torch.save(torch.tensor(features, dtype=torch.float32), os.path.join(here, "testfeat.pth"))
# The same features as a CUDA run saves them (their storage located on cuda:0).
subprocess.run([sys.executable, os.path.join(os.path.dirname(here), "..", "..", "support", "relocate_torch_file.py"),
                os.path.join(here, "testfeat.pth"), os.path.join(here, "testfeat_cuda.pth"), "cuda:0"], check=True)
np.save(os.path.join(here, "movie.npy"), movie)
# Allen's natural_movie_1.h5 is an .npy file with an .h5 name.
with open(os.path.join(here, "natural_movie_1.h5"), "wb") as out:
    np.save(out, movie)
with h5py.File(os.path.join(here, "movie_dataset.h5"), "w") as h:
    h.create_dataset("stimulus/templates/natural_movie_one_image_stack/data", data=movie)
    h.create_dataset("other/small", data=np.zeros((2, 2, 2), np.uint8))
with h5py.File(os.path.join(here, "features_dataset.h5"), "w") as h:
    h.create_dataset("features/gabor", data=features)
np.save(os.path.join(here, "features_wrong_rows.npy"), np.zeros((5, 3), np.float32))
