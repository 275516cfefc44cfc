#!/usr/bin/env python3
"""Writes a Kilosort / phy output folder for the conversion benchmark: SPIKES spikes of UNITS clusters
(log-normal rates: a global Poisson process whose spikes are dealt to clusters in proportion), sampled at
30 kHz, Kilosort's and phy's label files (70 % good), and the frame onsets of a 900-frame movie shown
20 times at 30 Hz, 10 s apart (frame_times.npy, frames.npy).

Usage: kilosort_generate.py FOLDER [SPIKES=1e8] [UNITS=2000]
"""
import os
import sys

import numpy as np

folder = sys.argv[1]
spikes = int(float(sys.argv[2])) if len(sys.argv) > 2 else 100_000_000
units = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
rate = 30000.0
rng = np.random.default_rng(1)
os.makedirs(folder, exist_ok=True)

frames, repeats, fps = 900, 20, 30.0
onsets = (10.0 + np.arange(repeats)[:, None] * (frames / fps + 10.0) + np.arange(frames)[None, :] / fps).ravel()
duration = onsets[-1] + 20.0
# Spike times: a Poisson process over the session, in samples, sorted as Kilosort writes them.
gaps = rng.exponential(duration * rate / spikes, spikes)
samples = np.cumsum(gaps).astype(np.uint64)
del gaps
np.save(os.path.join(folder, "spike_times.npy"), samples.reshape(-1, 1))
del samples
weights = rng.lognormal(0.0, 1.0, units)
clusters = rng.choice(units, size=spikes, p=weights / weights.sum()).astype(np.int32)
np.save(os.path.join(folder, "spike_clusters.npy"), clusters)
np.save(os.path.join(folder, "spike_templates.npy"), clusters.astype(np.uint32))
with open(os.path.join(folder, "params.py"), "w") as f:
    f.write(f"dat_path = 'continuous.dat'\nn_channels_dat = 384\ndtype = 'int16'\noffset = 0\n"
            f"sample_rate = {rate}\nhp_filtered = False\n")
good = rng.random(units) < 0.7
with open(os.path.join(folder, "cluster_KSLabel.tsv"), "w") as f:
    f.write("cluster_id\tKSLabel\n" + "".join(f"{c}\t{'good' if g else 'mua'}\n" for c, g in enumerate(good)))
with open(os.path.join(folder, "cluster_group.tsv"), "w") as f:
    f.write("cluster_id\tgroup\n" + "".join(f"{c}\t{'good' if g else 'mua'}\n" for c, g in enumerate(good)))
np.save(os.path.join(folder, "frame_times.npy"), onsets)
np.save(os.path.join(folder, "frames.npy"), np.tile(np.arange(frames), repeats))
