#!/usr/bin/env python3
"""Writes fixtures/kilosort/, a tiny Kilosort / phy output folder that KilosortReaderTest.cpp reads, with
numpy as Kilosort and phy write one (independently of neurolens).

Run once with Debian's python3-numpy:
    /usr/bin/python3 tests/core/io/make_kilosort_fixtures.py
The recording is sampled at 1 kHz (a sample is a millisecond). A 3-frame movie at 10 Hz is shown twice,
from 10.0 s and from 12.0 s (frame_times.npy / .csv, frames.npy). Clusters: 0 (Kilosort good, curated
noise), 3 (Kilosort mua, curated good), 5 (Kilosort good), 7 (Kilosort mua), 2 (labelled, no spikes).
Templates 0, 1, 2 peak on channels 0, 2, 3 (depths 0, 40, 60 um); cluster 0 and 7's spikes use template
0, 3's template 1 and 5's template 2. The expected counts are worked out by hand in the test.
"""
import os

import numpy as np

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "kilosort")
os.makedirs(here, exist_ok=True)
spikes = [(500, 7), (10010, 3), (10020, 0), (10060, 3), (10120, 3), (10160, 5), (10290, 3), (10310, 3),
          (12000, 3), (12110, 7), (12260, 5)]
template_of = {0: 0, 7: 0, 3: 1, 5: 2}
np.save(os.path.join(here, "spike_times.npy"), np.array([[s] for s, _ in spikes], dtype=np.uint64))
np.save(os.path.join(here, "spike_clusters.npy"), np.array([c for _, c in spikes], dtype=np.int32))
np.save(os.path.join(here, "spike_templates.npy"), np.array([template_of[c] for _, c in spikes], dtype=np.uint32))
with open(os.path.join(here, "params.py"), "w") as f:
    f.write("dat_path = 'continuous.dat'\nn_channels_dat = 4\ndtype = 'int16'\noffset = 0\n"
            "sample_rate = 1000.  # Hz\nhp_filtered = True\n")
with open(os.path.join(here, "cluster_KSLabel.tsv"), "w") as f:
    f.write("cluster_id\tKSLabel\n0\tgood\n2\tgood\n3\tmua\n5\tgood\n7\tmua\n")
with open(os.path.join(here, "cluster_group.tsv"), "w") as f:
    f.write("cluster_id\tgroup\n0\tnoise\n3\tgood\n")
templates = np.zeros((3, 5, 4), dtype=np.float32)
for t, channel in enumerate((0, 2, 3)):
    templates[t, :, :] = 0.1 * np.arange(5)[:, None]  # the same small ramp everywhere
    templates[t, 2, channel] = -5.0                   # and one trough, on its channel
np.save(os.path.join(here, "templates.npy"), templates)
np.save(os.path.join(here, "channel_positions.npy"),
        np.array([[0, 0], [0, 20], [16, 40], [16, 60]], dtype=np.float64))
onsets = np.array([10.0, 10.1, 10.2, 12.0, 12.1, 12.2])
np.save(os.path.join(here, "frame_times.npy"), onsets)
with open(os.path.join(here, "frame_times.csv"), "w") as f:
    f.write("onset_s\n" + "".join(f"{t:.1f}\n" for t in onsets))
np.save(os.path.join(here, "frames.npy"), np.array([0, 1, 2, 0, 1, 2], dtype=np.int64))
