#!/usr/bin/env python3
"""NWB -> 120 Hz counts: neurolens-cli convert against a plain h5py + numpy script doing the same.

Usage: nwb_convert_vs_h5py.py BUILD_DIR [SPIKES=1e8] [UNITS=2000]
Generates an Allen-layout session (neurolens-nwb-generate), then times, in the same run:
  neurolens: `neurolens-cli convert S.nwb --out X --no-qc-filter` (all units, first block, 4 bins/frame),
             its peak memory (ru_maxrss of the child);
  h5py:      per unit, read the spike slice, count spikes in every frame's 4 sub-bins with searchsorted
             (the same exact binning), first block, all units; its peak memory.
Both results are compared count for count.
"""
import os
import resource
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np


def h5py_counts(path):
    with h5py.File(path, "r") as f:
        t = f["intervals/natural_movie_one_presentations"]
        start, stop, frame, block = (t[k][()] for k in ("start_time", "stop_time", "frame", "stimulus_block"))
        first = block == block[0]
        start, stop = start[first], stop[first]
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
    return counts.reshape(index.size, 10, -1).transpose(1, 2, 0)


def main():
    build = sys.argv[1]
    spikes = sys.argv[2] if len(sys.argv) > 2 else "1e8"
    units = sys.argv[3] if len(sys.argv) > 3 else "2000"
    with tempfile.TemporaryDirectory(dir=os.environ.get("TMPDIR", "/tmp")) as tmp:
        nwb = os.path.join(tmp, "session.nwb")
        out = os.path.join(tmp, "session.neurolens.h5")
        gen = subprocess.run([os.path.join(build, "tests/bench/neurolens-nwb-generate"), nwb, spikes, units],
                             check=True, capture_output=True, text=True)
        print("generated:", gen.stdout.strip(), f"({os.path.getsize(nwb) / 1e9:.2f} GB)")
        t0 = time.perf_counter()
        child = subprocess.Popen([os.path.join(build, "app/cli/neurolens-cli"), "convert", nwb, "--out", out,
                                  "--no-qc-filter", "--quiet"], stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        ours = time.perf_counter() - t0
        if status != 0:
            sys.exit("neurolens-cli convert failed")
        ours_rss = usage.ru_maxrss / 1024
        t0 = time.perf_counter()
        theirs_counts = h5py_counts(nwb)
        theirs = time.perf_counter() - t0
        theirs_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with h5py.File(out, "r") as f:
            ours_counts = f["responses/counts"][()]
        same = ours_counts.shape == theirs_counts.shape and np.array_equal(ours_counts, theirs_counts)
    n = float(spikes)
    print(f"neurolens-cli convert: {ours:.1f} s ({ours / n * 1e7:.2f} s per 10^7 spikes), peak memory {ours_rss:.0f} MB")
    print(f"h5py + numpy:          {theirs:.1f} s, peak memory {theirs_rss:.0f} MB (this process)")
    print(f"ratio: neurolens is {theirs / ours:.2f}x the speed of h5py; identical counts: {same}")


if __name__ == "__main__":
    main()
