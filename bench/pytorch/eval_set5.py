"""The PyTorch side of the Set5 end-to-end comparison: eval.py's loop (load the model, then per
image and scale: bicubic Y / 255 -> network -> x255, clip, PSNR on Y with a `scale`-pixel border
shaved), reading the pairs that `Vdsr.Bench export-set5` wrote (eval.py reads the same arrays from
its .mat files). Run with glibc's default malloc and PyTorch's default threads: what a user of
eval.py gets. Prints the average PSNR per scale and the wall time."""
import argparse
import glob
import math
import os
import time

t0 = time.perf_counter()
import numpy as np
import torch

import vdsr  # noqa: F401  (torch.load unpickles vdsr.Net)


def psnr(pred, gt, shave_border):
    h, w = pred.shape
    pred = pred[shave_border:h - shave_border, shave_border:w - shave_border]
    gt = gt[shave_border:h - shave_border, shave_border:w - shave_border]
    rmse = math.sqrt(np.mean((pred - gt) ** 2))
    return 100 if rmse == 0 else 20 * math.log10(255.0 / rmse)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--pairs", required=True)
    a = ap.parse_args()
    model = torch.load(a.model, map_location="cpu")["model"].eval()
    for scale in (2, 3, 4):
        values = []
        for gt_path in sorted(glob.glob(os.path.join(a.pairs, f"*_x{scale}_gt.npy"))):
            gt = np.load(gt_path)
            b = np.load(gt_path.replace("_gt.npy", "_b.npy"))
            x = torch.from_numpy((b / 255.0).astype(np.float32)).view(1, 1, *b.shape)
            with torch.no_grad():
                y = model(x).numpy().astype(np.float32)[0, 0] * 255.0
            y = np.clip(y, 0, 255)
            values.append(psnr(y, gt, scale))
        print(f"pytorch eval scale={scale} images={len(values)} psnr={np.mean(values):.4f}", flush=True)
    print(f"pytorch eval seconds={time.perf_counter() - t0:.2f}", flush=True)


if __name__ == "__main__":
    main()
