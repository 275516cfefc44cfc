#!/usr/bin/env python3
"""CEBRA training speed: neurolens (LibTorch) against the same model, loss and batch in PyTorch, same run.

Usage: cebra_vs_pytorch.py BUILD_DIR [STEPS=100] [UNITS=128]
Data: the default simulated session at 30 Hz, silent units dropped (neurolens-cli convert --bin 4
--drop-silent): 9 000 samples x ~765 units. Model: offset10-model with UNITS hidden units and UNITS outputs
(128: the CLI's defaults; 32: the reference's Allen area-consistency runs), batch 512, frame-conditional positives (a uniform sample of the same frame), uniform
negatives, cosine InfoNCE at temperature 1, Adam 3e-4. The PyTorch side is written as the reference
implementation (CEBRA 0.6.1) runs it: three forward passes (reference, positive, negative) per step; a
second PyTorch variant merges them into one pass of 3 x 512 windows as neurolens does. Iterations per
second with 1 and 2 threads, the best of alternating trials. Each PyTorch run is a fresh process, with
OpenMP's default (spinning) wait policy and with OMP_WAIT_POLICY=PASSIVE (what neurolens sets for itself),
and the faster of the two counts.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Skip(nn.Module):
    def __init__(self, h):
        super().__init__()
        self.conv = nn.Conv1d(h, h, 3)

    def forward(self, x):
        return x[..., 1:-1] + F.gelu(self.conv(x))


class Offset10(nn.Module):
    def __init__(self, d, h, o):
        super().__init__()
        self.net = nn.Sequential(nn.Conv1d(d, h, 2), nn.GELU(), Skip(h), Skip(h), Skip(h), nn.Conv1d(h, o, 3))

    def forward(self, x):
        z = self.net(x)
        return z / z.norm(dim=1, keepdim=True)


def pytorch_iterations_per_second(X, frame_of, steps, threads, merged, units):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    n, d = X.shape
    model = Offset10(d, units, units)
    opt = torch.optim.Adam(model.parameters(), lr=3e-4)
    x = torch.from_numpy(X)
    frames = torch.from_numpy(frame_of)
    order = torch.argsort(frames, stable=True)
    counts = torch.bincount(frames)
    starts = torch.cumsum(counts, 0) - counts
    offsets = torch.arange(-5, 5)

    def windows(idx):
        i = idx.clamp(5, n - 5)[:, None] + offsets[None, :]
        return x[i].permute(0, 2, 1)

    def step():
        ref = torch.randint(n, (512,))
        neg = torch.randint(n, (512,))
        f = frames[ref]
        pos = order[starts[f] + (torch.rand(512) * counts[f]).long()]
        if merged:
            z = model(windows(torch.cat([ref, pos, neg]))).squeeze(2)
            r, p, q = z[:512], z[512:1024], z[1024:]
        else:
            r = model(windows(ref)).squeeze(2)
            p = model(windows(pos)).squeeze(2)
            q = model(windows(neg)).squeeze(2)
        pos_sim = (r * p).sum(1)
        neg_sim = r @ q.T
        c = neg_sim.max(1, keepdim=True).values.detach()
        loss = (-(pos_sim - c[:, 0])).mean() + torch.logsumexp(neg_sim - c, 1).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        return float(loss)

    for _ in range(3):
        step()
    t0 = time.perf_counter()
    for _ in range(steps):
        loss = step()
    return steps / (time.perf_counter() - t0), loss


def load(data):
    with h5py.File(data, "r") as f:
        counts = f["responses/counts"][()].astype(np.float32)
        frame = f["stimulus/frame"][()].astype(np.int64)
    R, B, U = counts.shape
    return np.ascontiguousarray(counts.reshape(-1, U)), np.tile(frame[:B], R)


def peer(data, steps, threads, merged, units):
    """The PyTorch side in a fresh process: the faster of the default and the passive OpenMP wait policy."""
    best = 0.0
    for policy in (None, "PASSIVE"):
        env = dict(os.environ)
        env.pop("OMP_WAIT_POLICY", None)
        if policy:
            env["OMP_WAIT_POLICY"] = policy
        out = subprocess.run([sys.executable, __file__, "--peer", data, str(steps), str(threads), str(int(merged)), str(units)],
                             check=True, capture_output=True, text=True, env=env).stdout
        best = max(best, float(out.split()[0]))
    return best


def main():
    if sys.argv[1] == "--peer":
        X, frame_of = load(sys.argv[2])
        ips, _ = pytorch_iterations_per_second(X, frame_of, int(sys.argv[3]), int(sys.argv[4]), bool(int(sys.argv[5])),
                                               int(sys.argv[6]))
        print(ips)
        return
    build = sys.argv[1]
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    units = int(sys.argv[3]) if len(sys.argv) > 3 else 128
    cli = os.path.join(build, "app/cli/neurolens-cli")
    with tempfile.TemporaryDirectory() as tmp:
        raw, data = os.path.join(tmp, "s.neurolens.h5"), os.path.join(tmp, "s30.neurolens.h5")
        subprocess.run([cli, "simulate", "--out", raw, "-q"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([cli, "convert", raw, "--out", data, "--bin", "4", "--drop-silent", "-q"], check=True, stdout=subprocess.DEVNULL)
        X, frame_of = load(data)
        print(f"data: {X.shape[0]} samples x {X.shape[1]} units; offset10-model {units}/{units}, batch 512, {steps} steps")
        for threads, trials in ((1, 2), (2, 2)):
            ours, ref3, merged = [], [], []
            for _ in range(trials):
                out = subprocess.run([cli, "train", "cebra", data, "--bin", "1", "--keep-silent", "--conditional", "frame",
                                      "--iterations", str(steps), "--validate-every", "0", "--shuffles", "0",
                                      "--threads", str(threads), "--hidden", str(units), "--dim", str(units), "--json", "-q"], check=True, capture_output=True, text=True).stdout
                ours.append(json.loads(out)["iterations_per_second"])
                ref3.append(peer(data, steps, threads, False, units))
                merged.append(peer(data, steps, threads, True, units))
            fmt = lambda v: ", ".join(f"{a:.2f}" for a in v)
            print(f"{threads} thread(s), best of {trials}: neurolens {max(ours):.2f} it/s ({fmt(ours)})   "
                  f"PyTorch {torch.__version__} as the reference (3 passes) {max(ref3):.2f} it/s ({fmt(ref3)})   "
                  f"PyTorch, passes merged {max(merged):.2f} it/s ({fmt(merged)})   "
                  f"ratios {max(ours) / max(ref3):.2f}x and {max(ours) / max(merged):.2f}x", flush=True)


if __name__ == "__main__":
    main()
