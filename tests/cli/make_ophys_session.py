#!/usr/bin/env python3
"""Turns a simulated native session into a two-photon NWB 2 file in pynwb's layout, for the CLI's
end-to-end test of the two-photon path: each unit's spikes per frame drive a calcium-like trace
(exponential decay, tau 0.4 s) sampled at the movie's 30 Hz, 6 ms after each frame starts, with 1 s
of imaging between repeats; ΔF/F = 0.05 x trace + Gaussian noise (sd 0.02, seed 5); and a running
speed at 60 Hz (processing/running/running_speed).

Usage: make_ophys_session.py NATIVE.neurolens.h5 OUT.nwb
"""
import sys

import h5py
import numpy as np

native, out = sys.argv[1], sys.argv[2]
with h5py.File(native, "r") as f:
    counts = f["responses/counts"][()].astype(np.float64)
    k = int(f["responses/counts"].attrs["bins_per_frame"])
    frame = f["stimulus/frame"][()][::k]
R, B, U = counts.shape
per_frame = counts.reshape(R, B // k, k, U).sum(axis=2)
F, fps, gap = per_frame.shape[1], 30.0, 30
drive = np.concatenate([np.concatenate([per_frame[r], np.zeros((gap, U))]) for r in range(R)])
decay = np.exp(-1.0 / (0.4 * fps))
trace = np.zeros_like(drive)
for i in range(1, drive.shape[0]):
    trace[i] = trace[i - 1] * decay + drive[i]
rng = np.random.default_rng(5)
dff = (0.05 * trace + rng.normal(0, 0.02, trace.shape)).astype(np.float32)
t0 = 2.0
t = t0 + np.arange(dff.shape[0]) / fps + 0.006
text = h5py.string_dtype("utf-8")


def typed(obj, neurodata_type, namespace="core"):
    obj.attrs["namespace"] = namespace
    obj.attrs["neurodata_type"] = neurodata_type
    return obj


with h5py.File(out, "w") as f:
    typed(f, "NWBFile")
    f.attrs["nwb_version"] = "2.6.0"
    f.create_dataset("identifier", data="ophys-from-simulation", dtype=text)
    plane = typed(f.create_group("general/optophysiology/ImagingPlane"), "ImagingPlane")
    plane.create_dataset("location", data="VISp", dtype=text)
    seg = typed(f.create_group("processing/ophys/ImageSegmentation/PlaneSegmentation"), "PlaneSegmentation")
    seg.create_dataset("id", data=np.arange(U, dtype=np.int64) + 500)
    seg["imaging_plane"] = h5py.SoftLink("/general/optophysiology/ImagingPlane")
    series = typed(f.create_group("processing/ophys/DfOverF/RoiResponseSeries"), "RoiResponseSeries")
    series.create_dataset("data", data=dff)
    series.create_dataset("timestamps", data=t)
    rois = typed(series.create_dataset("rois", data=np.arange(U, dtype=np.int64)), "DynamicTableRegion",
                 "hdmf-common")
    rois.attrs["table"] = seg.ref
    start = np.concatenate([t0 + r * (F + gap) / fps + np.arange(F) / fps for r in range(R)])
    movie = typed(f.create_group("intervals/natural_movie_one_presentations"), "TimeIntervals")
    movie.attrs["colnames"] = np.array(["start_time", "stop_time", "frame"], dtype=object)
    movie.create_dataset("id", data=np.arange(start.size, dtype=np.int64))
    movie.create_dataset("start_time", data=start)
    movie.create_dataset("stop_time", data=start + 1.0 / fps)
    movie.create_dataset("frame", data=np.tile(frame, R).astype(np.float64))
    # Running speed at 60 Hz over the whole imaging (cm/s): slow bouts.
    run_t = t0 + np.arange(int((t[-1] - t0) * 60)) / 60.0
    running = typed(f.create_group("processing/running/running_speed"), "TimeSeries")
    running.create_dataset("data", data=(np.maximum(0, 20 * np.sin(run_t / 3.0)) + rng.normal(0, 1, run_t.size)).astype(np.float32))
    running.create_dataset("timestamps", data=run_t)
