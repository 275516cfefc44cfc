#!/usr/bin/env python3
"""Whole processes, as a user runs them: neurolens-cli commands against the Python peers' whole scripts
(peers.py: interpreter start, imports, reading, the work, the result), on the same files, in one run.

Usage: whole_process.py BUILD_DIR [RUNS=2] [TASKS=startup,pca,logistic,tsne,convert,kilosort,ophys]
Data: the default simulated session (800 units, 10 repeats of 900 frames, ~5 Hz) and a busier one
(`simulate --rate-scale 2`, ~9 Hz), both native files at 120 Hz read by both sides; for `convert`, two
generated Allen-layout NWB sessions (700 units with 2 x 10^7 spikes, and 2 000 units with 10^8 spikes;
NWB_LARGE=0 leaves the large one out); for `kilosort`, two generated Kilosort / phy folders
(kilosort_generate.py: 700 clusters with 2 x 10^7 spikes, 2 000 with 10^8; KILOSORT_LARGE=0); for
`ophys`, two 1 GB two-photon NWB files (ophys_generate.py: 10^5 samples x 2 500 ROIs, uncompressed and
gzip), against an h5py + numpy script (issue target: under 5 s). Each pair runs RUNS times, the two
sides alternating with a
pause before each (this machine's speed drifts); printed: medians, ranges, the ratio of the medians and
the range of the ratios of the alternating pairs, the in-process time neurolens reports, and whether
the issue's target ratio holds.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

PY = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else "python3"
HERE = os.path.dirname(os.path.abspath(__file__))
TARGETS = {"pca": 3.0, "logistic": 10.0, "tsne": 10.0, "convert small": 1.5, "convert large": 2.5,
           "kilosort": 1.0, "ophys": 1.0}


def timed(cmd):
    t0 = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return time.perf_counter() - t0, out


def median(v):
    s = sorted(v)
    return s[len(s) // 2] if len(s) % 2 else 0.5 * (s[len(s) // 2 - 1] + s[len(s) // 2])


def compare(label, ours_cmd, theirs_cmd, runs, target=None, pause=2.0, under=None):
    a, b, inside = [], [], []
    for _ in range(runs):
        time.sleep(pause)
        t, out = timed(ours_cmd)
        a.append(t)
        try:
            inside.append(json.loads(out).get("seconds"))
        except ValueError:
            pass
        time.sleep(pause)
        b.append(timed(theirs_cmd)[0])
    ratios = [y / x for x, y in zip(a, b)]
    ma, mb = median(a), median(b)
    line = (f"{label:26s} neurolens {ma:7.3f} s ({min(a):.3f}-{max(a):.3f})   Python {mb:7.3f} s "
            f"({min(b):.3f}-{max(b):.3f})   ratio {mb / ma:5.1f}x (pairs {min(ratios):.1f}-{max(ratios):.1f}x)")
    inside = [x for x in inside if x is not None]
    if inside:
        line += f"   in-process {median(inside):.3f} s"
    if target:
        line += f"   target {target:g}x: {'met' if min(ratios) >= target else 'MISSED'}"
    if under:
        line += f"   target under {under:g} s (median): {'met' if ma < under else 'MISSED'}"
    print(line, flush=True)


def main():
    build = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    tasks = (sys.argv[3] if len(sys.argv) > 3 else "startup,pca,logistic,tsne,convert,kilosort,ophys").split(",")
    cli = os.path.join(build, "app/cli/neurolens-cli")
    peers = os.path.join(HERE, "peers.py")
    print(f"== {subprocess.run([cli, '--version'], capture_output=True, text=True).stdout.strip()}; "
          f"{runs} alternating runs per pair", flush=True)
    with tempfile.TemporaryDirectory(dir=os.environ.get("TMPDIR", "/tmp")) as tmp:
        sessions = {}
        for name, scale in (("default", "1"), ("busier", "2")):
            path = os.path.join(tmp, f"{name}.neurolens.h5")
            subprocess.run([cli, "simulate", "--out", path, "--rate-scale", scale, "-q"], check=True,
                           stdout=subprocess.DEVNULL)
            sessions[name] = path
        if "startup" in tasks:
            compare("--help", [cli, "--help"], [PY, "-c", "import sklearn"], runs * 3, pause=0.2)
            compare("info, default session", [cli, "info", sessions["default"], "--json"],
                    [PY, "-c", "import h5py,sys; c=h5py.File(sys.argv[1],'r')['responses/counts'][()]; "
                     "print(c.shape, c.sum(axis=(0, 1)).min())", sessions["default"]], runs * 3, pause=0.2)
        for name, path in sessions.items():
            if "pca" in tasks:
                compare(f"pca, {name}", [cli, "pca", path, "--json", "-q"], [PY, peers, "pca", path], runs,
                        TARGETS["pca"])
            if "logistic" in tasks:
                compare(f"logistic, {name}", [cli, "decode", path, "--model", "logistic", "--json", "-q"],
                        [PY, peers, "logistic", path], runs, TARGETS["logistic"])
            if "tsne" in tasks:
                compare(f"tsne, {name}", [cli, "tsne", path, "--json", "-q"], [PY, peers, "tsne", path], runs,
                        TARGETS["tsne"])
        if "convert" in tasks:
            generate = os.path.join(build, "tests/bench/neurolens-nwb-generate")
            sizes = [("small", "2e7", "700")]
            if os.environ.get("NWB_LARGE", "1") != "0":
                sizes.append(("large", "1e8", "2000"))
            for size, spikes, units in sizes:
                nwb = os.path.join(tmp, f"{size}.nwb")
                subprocess.run([generate, nwb, spikes, units], check=True, stdout=subprocess.DEVNULL)
                ours_out, theirs_out = os.path.join(tmp, "ours.neurolens.h5"), os.path.join(tmp, "theirs.h5")
                compare(f"convert {size} ({spikes} spikes)",
                        [cli, "convert", nwb, "--out", ours_out, "--no-qc-filter", "-q"],
                        [PY, peers, "convert", nwb, theirs_out], runs, TARGETS[f"convert {size}"])
                os.remove(nwb)
        if "kilosort" in tasks:
            # Kilosort / phy folders: 2 x 10^7 and 10^8 spikes (KILOSORT_LARGE=0 leaves the large out).
            sizes = [("small", "2e7", "700")]
            if os.environ.get("KILOSORT_LARGE", "1") != "0":
                sizes.append(("large", "1e8", "2000"))
            for size, spikes, units in sizes:
                folder = os.path.join(tmp, f"kilosort_{size}")
                subprocess.run([PY, os.path.join(HERE, "kilosort_generate.py"), folder, spikes, units], check=True)
                ours_out, theirs_out = os.path.join(tmp, "ours.neurolens.h5"), os.path.join(tmp, "theirs.h5")
                compare(f"kilosort {size} ({spikes} spikes)",
                        [cli, "convert", folder, "--out", ours_out, "--frame-times",
                         os.path.join(folder, "frame_times.npy"), "--frames", os.path.join(folder, "frames.npy"), "-q"],
                        [PY, peers, "kilosort", folder, theirs_out], runs, TARGETS["kilosort"])
                shutil.rmtree(folder)
        if "ophys" in tasks:
            # Two-photon NWB, 1 GB of ΔF/F (10^5 samples x 2 500 ROIs), uncompressed (pynwb's default)
            # and gzip-compressed; the whole recording is the movie's repeats.
            for compression in ("none", "gzip"):
                nwb = os.path.join(tmp, f"ophys_{compression}.nwb")
                subprocess.run([PY, os.path.join(HERE, "ophys_generate.py"), nwb, "1e5", "2500", compression],
                               check=True)
                ours_out, theirs_out = os.path.join(tmp, "ours.neurolens.h5"), os.path.join(tmp, "theirs.h5")
                compare(f"two-photon NWB 1 GB ({compression})", [cli, "convert", nwb, "--out", ours_out, "-q"],
                        [PY, peers, "ophys", nwb, theirs_out], runs, TARGETS["ophys"], under=5.0)
                os.remove(nwb)


if __name__ == "__main__":
    main()
