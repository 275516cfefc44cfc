#!/usr/bin/env python3
"""Writes a two-photon NWB 2 session for the conversion benchmark, in pynwb's layout: a ΔF/F
RoiResponseSeries of SAMPLES samples x ROIS ROIs (float32, about 30 Hz with jittered timestamps; 10^5 x
2 500 is 1 GB), its plane segmentation and imaging plane, and a 900-frame movie shown at 30 Hz back to
back for the whole recording (so every sample is used). COMPRESSION: none (pynwb's default) or gzip
(chunks of 1 000 samples x all ROIs).

Usage: ophys_generate.py FILE [SAMPLES=100000] [ROIS=2500] [COMPRESSION=none]
"""
import sys

import h5py
import numpy as np

path = sys.argv[1]
samples = int(float(sys.argv[2])) if len(sys.argv) > 2 else 100_000
rois = int(sys.argv[3]) if len(sys.argv) > 3 else 2500
compression = sys.argv[4] if len(sys.argv) > 4 else "none"
rng = np.random.default_rng(2)
text = h5py.string_dtype("utf-8")


def typed(obj, neurodata_type, namespace="core"):
    obj.attrs["namespace"] = namespace
    obj.attrs["neurodata_type"] = neurodata_type
    return obj


with h5py.File(path, "w") as f:
    typed(f, "NWBFile")
    f.attrs["nwb_version"] = "2.6.0"
    f.create_dataset("identifier", data="ophys-benchmark", dtype=text)
    plane = typed(f.create_group("general/optophysiology/ImagingPlane"), "ImagingPlane")
    plane.create_dataset("location", data="VISp", dtype=text)
    seg = typed(f.create_group("processing/ophys/ImageSegmentation/PlaneSegmentation"), "PlaneSegmentation")
    seg.create_dataset("id", data=np.arange(rois, dtype=np.int64) + 1000)
    seg["imaging_plane"] = h5py.SoftLink("/general/optophysiology/ImagingPlane")
    series = typed(f.create_group("processing/ophys/DfOverF/RoiResponseSeries"), "RoiResponseSeries")
    t = 5.0 + np.arange(samples) / 30.0 + rng.uniform(-0.002, 0.002, samples)
    series.create_dataset("timestamps", data=t)
    r = series.create_dataset("rois", data=np.arange(rois, dtype=np.int64))
    typed(r, "DynamicTableRegion", "hdmf-common")
    r.attrs["table"] = seg.ref
    kwargs = {} if compression == "none" else {"chunks": (1000, rois), "compression": "gzip"}
    data = series.create_dataset("data", shape=(samples, rois), dtype=np.float32, **kwargs)
    step = 10_000
    for a in range(0, samples, step):
        b = min(samples, a + step)
        data[a:b] = rng.standard_normal((b - a, rois), dtype=np.float32) * 0.3

    frames = 900
    repeats = int((t[-1] - t[0] - 1.0) * 30.0) // frames
    start = 5.2 + np.arange(repeats * frames) / 30.0
    movie = typed(f.create_group("intervals/natural_movie_one_presentations"), "TimeIntervals")
    movie.attrs["colnames"] = np.array(["start_time", "stop_time", "frame"], dtype=object)
    movie.create_dataset("id", data=np.arange(start.size, dtype=np.int64))
    movie.create_dataset("start_time", data=start)
    movie.create_dataset("stop_time", data=start + 1.0 / 30.0)
    movie.create_dataset("frame", data=np.tile(np.arange(frames, dtype=np.float64), repeats))
