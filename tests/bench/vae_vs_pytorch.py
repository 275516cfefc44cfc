#!/usr/bin/env python3
"""The VAE of neurolens (LibTorch) against the same architecture in PyTorch, same data, same run.

Usage: vae_vs_pytorch.py BUILD_DIR [EPOCHS=20]
The default simulated session at 30 Hz, silent units dropped, the top-variance units holding 95 % of the
variance (neurolens-cli convert); repeats 0-6 train, 7-8 validation. Both sides: encoder 512-256-256 with
LeakyReLU, latent 128 (mean and log-variance), decoder 256-512, loss = squared error summed over units +
0.05 KL, Adam 1e-3, mini-batches of 128 shuffled each epoch, and after each epoch the reconstruction R² of
the training and validation repeats (as neurolens records it). Epochs per second with 1 thread (the best
of three alternating trials each) and 2 threads.
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


class Vae(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.enc = nn.ModuleList([nn.Linear(n, 512), nn.Linear(512, 256), nn.Linear(256, 256)])
        self.mu, self.logvar = nn.Linear(256, 128), nn.Linear(256, 128)
        self.dec = nn.ModuleList([nn.Linear(128, 256), nn.Linear(256, 512)])
        self.out = nn.Linear(512, n)

    def encode(self, x):
        for l in self.enc:
            x = F.leaky_relu(l(x))
        return self.mu(x), self.logvar(x)

    def decode(self, z):
        for l in self.dec:
            z = F.leaky_relu(l(z))
        return self.out(z)


def r2(x, p):
    ss_res = ((x - p) ** 2).sum(0)
    ss_tot = ((x - x.mean(0)) ** 2).sum(0)
    return float(torch.where(ss_tot > 0, 1 - ss_res / ss_tot, torch.zeros_like(ss_tot)).mean())


def pytorch_epochs_per_second(X, train, val, epochs, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    model = Vae(X.shape[1])
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    xt = torch.from_numpy(X)
    tr, va = torch.from_numpy(train), torch.from_numpy(val)
    t0 = time.perf_counter()
    for _ in range(epochs):
        order = tr[torch.randperm(len(tr))]
        for b in range(0, len(order), 128):
            xb = xt[order[b:b + 128]]
            mu, lv = model.encode(xb)
            z = mu + torch.randn_like(mu) * torch.exp(0.5 * lv)
            rec = ((model.decode(z) - xb) ** 2).sum(1).mean()
            kl = -0.5 * torch.mean(torch.sum(1 + lv - mu ** 2 - lv.exp(), 1))
            loss = rec + 0.05 * kl
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            for idx in (tr, va):
                xs = xt[idx]
                r2(xs, model.decode(model.encode(xs)[0]))
    return epochs / (time.perf_counter() - t0), r2(xt[va], model.decode(model.encode(xt[va])[0]).detach())


def main():
    build = sys.argv[1]
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    cli = os.path.join(build, "app/cli/neurolens-cli")
    with tempfile.TemporaryDirectory() as tmp:
        raw, data = os.path.join(tmp, "s.neurolens.h5"), os.path.join(tmp, "top.neurolens.h5")
        subprocess.run([cli, "simulate", "--out", raw, "-q"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([cli, "convert", raw, "--out", data, "--bin", "4", "--drop-silent", "--top-variance", "0.95", "-q"],
                       check=True, stdout=subprocess.DEVNULL)
        with h5py.File(data, "r") as f:
            counts = f["responses/counts"][()].astype(np.float32)
        R, B, U = counts.shape
        X = counts.reshape(-1, U)
        train = np.arange(0, 7 * B)
        val = np.arange(7 * B, 9 * B)
        mean, sd = X[train].mean(0), X[train].std(0)
        X = ((X - mean) / np.where(sd > 0, sd, 1)).astype(np.float32)
        print(f"data: {X.shape[0]} samples x {U} units; {epochs} epochs")
        # Alternating trials, the best of each side (this shared 2-core machine varies by 20 % run to run).
        for threads, trials in ((1, 3), (2, 1)):
            ours_runs, theirs_runs = [], []
            for _ in range(trials):
                out = subprocess.run([cli, "train", "vae", data, "--bin", "1", "--keep-silent", "--top-variance", "1",
                                      "--epochs", str(epochs), "--threads", str(threads), "--json", "-q"],
                                     check=True, capture_output=True, text=True).stdout
                ours = json.loads(out)
                ours_runs.append(ours["epochs_per_second"])
                theirs, theirs_val = pytorch_epochs_per_second(X, train, val, epochs, threads)
                theirs_runs.append(theirs)
            print(f"{threads} thread(s), best of {trials}: neurolens {max(ours_runs):.2f} epochs/s "
                  f"(runs {', '.join(f'{v:.2f}' for v in ours_runs)}; val R2 {ours['val_r2']:.3f})   "
                  f"PyTorch {torch.__version__} {max(theirs_runs):.2f} epochs/s "
                  f"(runs {', '.join(f'{v:.2f}' for v in theirs_runs)}; val R2 {theirs_val:.3f})   "
                  f"ratio {max(ours_runs) / max(theirs_runs):.2f}x", flush=True)


if __name__ == "__main__":
    main()
