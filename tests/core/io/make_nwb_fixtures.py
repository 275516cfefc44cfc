#!/usr/bin/env python3
"""Writes fixtures/standard_units.nwb, the NWB 2 session in the standard layout (not Allen's) that
NwbReaderTest.cpp reads: written with h5py as pynwb lays a file out, independently of neurolens.

Run once with Debian's python3-h5py and python3-numpy:
    /usr/bin/python3 tests/core/io/make_nwb_fixtures.py
What it holds (the expected counts are worked out by hand in NwbReaderTest.cpp):
- electrodes (ids 10-13, so that ids and row numbers differ): locations VISp, VISp, CA1, "unknown";
- units 1-5 linked to electrodes through the standard `electrodes` region (row indices, ragged through
  `electrodes_index`; no `peak_channel_id`): unit 1 rows 0,1 (VISp); 2 row 2 (CA1); 3 rows 2,0,1
  (VISp by two votes to one); 4 row 3 ("unknown"); 5 none. One QC column, isi_violations (unit 2 fails);
- `trials`: a 3-frame movie at 20 Hz shown three times, one repeat a second from t = 100 s, with frame
  columns `movie_frame` (0 1 2, repeated) and `frame_in_block` (0-8), and `contrast` (0.5);
- `epochs`: a TimeIntervals table without a frame column.
"""
import os

import h5py
import numpy as np

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
os.makedirs(here, exist_ok=True)
text = h5py.string_dtype("utf-8")


def table(group, neurodata_type, description, colnames):
    group.attrs["namespace"] = "core"
    group.attrs["neurodata_type"] = neurodata_type
    group.attrs["description"] = description
    group.attrs["colnames"] = np.array(colnames, dtype=object)


def column(group, name, values, dtype=None, description="", index=None):
    ds = group.create_dataset(name, data=np.asarray(values, dtype=dtype))
    ds.attrs["namespace"] = "hdmf-common"
    ds.attrs["neurodata_type"] = "VectorData"
    ds.attrs["description"] = description
    if index is not None:
        ix = group.create_dataset(name + "_index", data=np.asarray(index, dtype=np.int64))
        ix.attrs["namespace"] = "hdmf-common"
        ix.attrs["neurodata_type"] = "VectorIndex"
        ix.attrs["target"] = ds.ref
    return ds


with h5py.File(os.path.join(here, "standard_units.nwb"), "w") as f:
    f.attrs["namespace"] = "core"
    f.attrs["neurodata_type"] = "NWBFile"
    f.attrs["nwb_version"] = "2.6.0"
    f.attrs["object_id"] = "3f1c2a94-0d55-4c1b-9b87-5c2d1f0e7a11"
    f.create_dataset("identifier", data="standard-layout-fixture", dtype=text)
    f.create_dataset("session_description", data="a standard-layout NWB session for neurolens' tests", dtype=text)
    f.create_dataset("session_start_time", data="2026-01-05T10:00:00+00:00", dtype=text)
    for g in ("acquisition", "analysis", "processing", "stimulus/presentation", "stimulus/templates"):
        f.create_group(g)

    electrodes = f.create_group("general/extracellular_ephys/electrodes")
    table(electrodes, "DynamicTable", "the probe's channels", ["location", "group_name"])
    electrodes.create_dataset("id", data=np.array([10, 11, 12, 13], dtype=np.int64))
    column(electrodes, "location", ["VISp", "VISp", "CA1", "unknown"], dtype=object)
    column(electrodes, "group_name", ["shank0"] * 4, dtype=object)

    units = f.create_group("units")
    table(units, "Units", "spike-sorted units", ["spike_times", "electrodes", "isi_violations"])
    units.create_dataset("id", data=np.array([1, 2, 3, 4, 5], dtype=np.int64))
    spikes = [
        [99.0, 100.01, 100.03, 100.11, 101.06, 102.14, 105.0],
        [100.04, 102.01],
        [100.06, 101.07, 101.08, 102.12],
        [100.02],
        [],
    ]
    column(units, "spike_times", np.concatenate([np.asarray(s, dtype=np.float64) for s in spikes]),
           index=np.cumsum([len(s) for s in spikes]))
    region = column(units, "electrodes", [0, 1, 2, 2, 0, 1, 3], dtype=np.int64, index=[2, 3, 6, 7, 7])
    region.attrs["neurodata_type"] = "DynamicTableRegion"
    region.attrs["table"] = electrodes.ref
    column(units, "isi_violations", [0.1, 0.9, 0.2, 0.1, 0.1], dtype=np.float64)

    trials = f.create_group("intervals/trials")
    table(trials, "TimeIntervals", "the movie's frames", ["start_time", "stop_time", "movie_frame",
                                                          "frame_in_block", "contrast"])
    start = np.array([100.0 + r + 0.05 * j for r in range(3) for j in range(3)])
    trials.create_dataset("id", data=np.arange(9, dtype=np.int64))
    column(trials, "start_time", start)
    column(trials, "stop_time", start + 0.05)
    column(trials, "movie_frame", np.tile(np.arange(3), 3), dtype=np.int64)
    column(trials, "frame_in_block", np.arange(9), dtype=np.int64)
    column(trials, "contrast", np.full(9, 0.5))

    epochs = f.create_group("intervals/epochs")
    table(epochs, "TimeIntervals", "experimental epochs", ["start_time", "stop_time"])
    epochs.create_dataset("id", data=np.arange(2, dtype=np.int64))
    column(epochs, "start_time", [0.0, 100.0])
    column(epochs, "stop_time", [100.0, 110.0])


# fixtures/ophys_dff.nwb: a two-photon session in pynwb's layout, and what the reader must make of
# it, computed here with numpy (under /analysis/neurolens_expected, which the reader never reads):
# - imaging planes VISp and VISl; plane segmentations of ROIs 100-103 (VISp) and 200-201 (VISl);
# - DfOverF/RoiResponseSeries: 100 samples x 3 ROIs (rows 0, 2, 3: ids 100, 102, 103) at
#   9.003 + 0.04 k s (timestamps); Fluorescence/RoiResponseSeries: the same clock as starting_time
#   + rate (25 Hz), 2 ROIs (rows 1, 0 of the second plane: ids 201, 200);
# - natural_movie_one_presentations: 4 frames of 0.1 s shown four times, from 10, 11, 12 and
#   12.7 s; the fourth outlasts the traces (last sample 12.963 s) and is left out;
# - behaviour: running speed (processing/running/running_speed, 60 Hz) and the pupil's area
#   (acquisition/EyeTracking/pupil_tracking, 30 Hz, one blink), with their per-frame means.
# A bin's value is the mean of the samples in [start, stop); a bin with none takes the trace
# linearly interpolated at its middle.
def expected(t, data, starts, k):
    out = []
    for s in starts:
        rows = []
        for f in range(4):
            for j in range(k):
                lo, hi = s + 0.1 * f + 0.1 * j / k, s + 0.1 * f + 0.1 * (j + 1) / k
                inside = (t >= lo) & (t < hi)
                if inside.any():
                    rows.append(data[inside].astype(np.float64).mean(axis=0))
                else:
                    mid = 0.5 * (lo + hi)
                    rows.append([np.interp(mid, t, data[:, c].astype(np.float64)) for c in range(data.shape[1])])
        out.append(rows)
    return np.asarray(out, dtype=np.float64)


def typed(obj, neurodata_type, namespace="core"):
    obj.attrs["namespace"] = namespace
    obj.attrs["neurodata_type"] = neurodata_type
    return obj


with h5py.File(os.path.join(here, "ophys_dff.nwb"), "w") as f:
    typed(f, "NWBFile")
    f.attrs["nwb_version"] = "2.6.0"
    f.create_dataset("identifier", data="ophys-fixture", dtype=text)
    f.create_dataset("session_description", data="a two-photon NWB session for neurolens' tests", dtype=text)
    f.create_dataset("session_start_time", data="2026-01-05T10:00:00+00:00", dtype=text)
    for g in ("acquisition", "analysis", "stimulus/presentation", "stimulus/templates"):
        f.create_group(g)
    for name, location in (("ImagingPlane", "VISp"), ("ImagingPlane2", "VISl")):
        plane = typed(f.create_group("general/optophysiology/" + name), "ImagingPlane")
        plane.create_dataset("location", data=location, dtype=text)
        plane.create_dataset("indicator", data="GCaMP6f", dtype=text)
        plane.create_dataset("excitation_lambda", data=910.0)

    ophys = typed(f.create_group("processing/ophys"), "ProcessingModule")
    ophys.attrs["description"] = "optical physiology processed data"
    segmentation = typed(ophys.create_group("ImageSegmentation"), "ImageSegmentation")
    planes = {}
    for name, plane, ids in (("PlaneSegmentation", "ImagingPlane", [100, 101, 102, 103]),
                             ("PlaneSegmentation2", "ImagingPlane2", [200, 201])):
        seg = segmentation.create_group(name)
        table(seg, "PlaneSegmentation", "output from segmenting the imaging plane", ["image_mask"])
        seg.create_dataset("id", data=np.array(ids, dtype=np.int64))
        column(seg, "image_mask", np.zeros((len(ids), 4, 4), dtype=np.float32))
        seg["imaging_plane"] = h5py.SoftLink("/general/optophysiology/" + plane)
        planes[name] = seg

    k = np.arange(100)
    t = 9.003 + 0.04 * k
    dff = np.stack([np.sin(0.3 * k + c) + 0.1 * c for c in range(3)], axis=1).astype(np.float32)
    raw = np.stack([100 + 10 * np.cos(0.2 * k + c) for c in range(2)], axis=1).astype(np.float32)

    def series(container, data, rows, plane, clock):
        s = typed(container.create_group("RoiResponseSeries"), "RoiResponseSeries")
        s.attrs["description"] = "ROI traces"
        d = s.create_dataset("data", data=data, chunks=(25, data.shape[1]), compression="gzip")
        d.attrs["unit"] = "n.a."
        rois = s.create_dataset("rois", data=np.array(rows, dtype=np.int64))
        typed(rois, "DynamicTableRegion", "hdmf-common")
        rois.attrs["table"] = planes[plane].ref
        rois.attrs["description"] = "the ROIs of this series"
        if clock == "timestamps":
            s.create_dataset("timestamps", data=t)
        else:
            st = s.create_dataset("starting_time", data=float(t[0]))
            st.attrs["rate"] = 25.0
            st.attrs["unit"] = "seconds"

    series(typed(ophys.create_group("DfOverF"), "DfOverF"), dff, [0, 2, 3], "PlaneSegmentation",
           "timestamps")
    series(typed(ophys.create_group("Fluorescence"), "Fluorescence"), raw, [1, 0], "PlaneSegmentation2",
           "rate")

    movie = f.create_group("intervals/natural_movie_one_presentations")
    table(movie, "TimeIntervals", "natural movie one", ["start_time", "stop_time", "frame"])
    repeat_starts = [10.0, 11.0, 12.0, 12.7]
    start = np.array([s + 0.1 * j for s in repeat_starts for j in range(4)])
    movie.create_dataset("id", data=np.arange(16, dtype=np.int64))
    column(movie, "start_time", start)
    column(movie, "stop_time", start + 0.1)
    column(movie, "frame", np.tile(np.arange(4), 4), dtype=np.float64)

    # Behaviour: running speed at 60 Hz (Allen's path) and the pupil's area at 30 Hz (an
    # EllipseSeries under acquisition, one sample NaN: a blink).
    run_t = 9.5037 + np.arange(181) / 60.0
    run_v = (5 + 2 * np.sin(np.arange(181) / 7.0)).astype(np.float32)
    running = typed(f.create_group("processing/running"), "ProcessingModule")
    speed = typed(running.create_group("running_speed"), "TimeSeries")
    speed.create_dataset("data", data=run_v).attrs["unit"] = "cm/s"
    speed.create_dataset("timestamps", data=run_t)
    eye_t = 9.0 + np.arange(121) / 30.0
    eye_v = (1000 + 50 * np.cos(np.arange(121) / 5.0)).astype(np.float32)
    eye_v[40] = np.nan
    eye = typed(f.create_group("acquisition/EyeTracking"), "EllipseEyeTracking", "ndx-ellipse-eye-tracking")
    pupil = typed(eye.create_group("pupil_tracking"), "EllipseSeries", "ndx-ellipse-eye-tracking")
    pupil.create_dataset("data", data=np.zeros((121, 2)))
    pupil.create_dataset("area", data=eye_v)
    pupil.create_dataset("timestamps", data=eye_t)

    kept = repeat_starts[:3]
    out = f.create_group("analysis/neurolens_expected")

    def behaviour(t, v):
        rows = []
        for s in kept:
            for j in range(4):
                lo, hi = s + 0.1 * j, s + 0.1 * j + 0.1
                inside = (t >= lo) & (t < hi) & ~np.isnan(v)
                rows.append(v[inside].astype(np.float64).mean() if inside.any() else np.nan)
        return np.asarray(rows)

    out.create_dataset("running_speed_bins_1", data=behaviour(run_t, run_v))
    out.create_dataset("pupil_area_bins_1", data=behaviour(eye_t, eye_v))
    out.create_dataset("dff_bins_1", data=expected(t, dff, kept, 1))
    out.create_dataset("dff_bins_4", data=expected(t, dff, kept, 4))
    out.create_dataset("fluorescence_bins_1", data=expected(t, raw, kept, 1))
