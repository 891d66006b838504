"""PyTorch baseline of bench/Vdsr.Bench train-step: the same VDSR net and training step
(sum-MSE, clip_grad_norm 0.4, SGD momentum 0.9 / weight decay 1e-4) on one thread.
Run it with MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=68719476736 (bench/run.sh does)."""
import argparse
import time

import torch
import torch.nn as nn

from vdsr import Net


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batches", default="16,64,128")
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = Net()
    criterion = nn.MSELoss(reduction="sum")
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
    for batch in [int(b) for b in a.batches.split(",")]:
        label = torch.rand(batch, 1, 41, 41)
        inp = label + 0.05 * (torch.rand(batch, 1, 41, 41) - 0.5)

        def step():
            loss = criterion(model(inp), label)
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 0.4)
            optimizer.step()
            return loss.item()

        for _ in range(a.warmup):
            step()
        t = time.perf_counter()
        for _ in range(a.steps):
            step()
        sec = (time.perf_counter() - t) / a.steps
        print(f"pytorch train-step batch={batch} seconds_per_step={sec:.4f} patches_per_s={batch / sec:.2f}", flush=True)


if __name__ == "__main__":
    main()
