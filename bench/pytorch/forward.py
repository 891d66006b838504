"""PyTorch baseline of Vdsr.Bench forward: one inference of the 20x64 VDSR net on a size x size
image per case (NCHW fp32, channels_last fp32, autocast bf16 in channels_last), best of --repeats
after a warm-up round, cases alternated round by round. Prints one line per case."""
import argparse
import time

import torch

from vdsr import Net


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="256")
    ap.add_argument("--thread-counts", default="1,2")
    ap.add_argument("--modes", default="nchw,channels_last,bf16_autocast")
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    torch.manual_seed(0)
    net = Net().eval()
    net_cl = Net().eval().to(memory_format=torch.channels_last)
    net_cl.load_state_dict(net.state_dict())
    cases = [(s, t, m) for s in map(int, a.sizes.split(",")) for t in map(int, a.thread_counts.split(","))
             for m in a.modes.split(",")]
    best = {c: float("inf") for c in cases}
    with torch.no_grad():
        for r in range(a.repeats + 1):
            for size, threads, mode in cases:
                torch.set_num_threads(threads)
                x = torch.rand(1, 1, size, size)
                t = time.perf_counter()
                if mode == "nchw":
                    net(x)
                elif mode == "channels_last":
                    net_cl(x.contiguous(memory_format=torch.channels_last))
                else:
                    with torch.autocast("cpu", dtype=torch.bfloat16):
                        net_cl(x.contiguous(memory_format=torch.channels_last)).float()
                sec = time.perf_counter() - t
                if r > 0:
                    best[(size, threads, mode)] = min(best[(size, threads, mode)], sec)
    for size, threads, mode in cases:
        print(f"pytorch forward size={size} threads={threads} mode={mode} seconds={best[(size, threads, mode)]:.4f}", flush=True)


if __name__ == "__main__":
    main()
