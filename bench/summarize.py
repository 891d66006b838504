"""Reads the lines bench/run.sh collected (key=value fields), keeps the best time of each case over
the rounds, and prints the ratio table; writes everything as JSON."""
import json
import sys
from collections import defaultdict


def fields(line):
    parts = line.split()
    return parts[0], parts[1], dict(p.split("=", 1) for p in parts[2:] if "=" in p)


def main(raw_path, out_path):
    best = defaultdict(lambda: float("inf"))
    extra = {}
    cpu = {}
    for line in open(raw_path):
        if not line.strip() or "=" not in line:
            continue
        side, kind, f = fields(line)
        if side == "cpu":
            cpu = {"model": kind.split("=", 1)[1].replace("_", " "), **f}
            continue
        if kind == "forward":
            key = (side, "forward", int(f["size"]), int(f["threads"]), f.get("mode") or f.get("plan"))
            best[key] = min(best[key], float(f["seconds"]))
        elif kind == "train-step":
            key = (side, "train", int(f["batch"]), int(f["threads"]), f.get("precision", "fp32"))
            best[key] = min(best[key], float(f["seconds_per_step"]))
        elif kind == "eval-e2e":
            key = (side, "eval")
            best[key] = min(best[key], float(f["seconds"]))
        elif kind == "upscale-4k":
            extra[f["flags"].replace("_", " ") or "(defaults: auto)"] = {"ran": f["ran"].replace("_", ", "), "seconds": float(f["seconds"]), "peak_rss_mb": int(f["peak_rss_mb"])}

    print()
    print(f"CPU: {cpu.get('model', '?')}, flags {cpu.get('flags', '?')}, {cpu.get('vcpus', '?')} vCPUs")
    rows = []
    print("\nforward (seconds, best over rounds; ratio = PyTorch's best fp32 layout / ours: above 1 means we are faster)")
    print(f"{'size':>5} {'thr':>3} {'torch nchw':>10} {'torch cl':>9} {'torch bf16':>10} {'ours fp32':>9} {'ours wino':>9} {'ours bf16':>9} {'fp32 ratio':>10} {'wino ratio':>10} {'wino/fp32':>9} {'bf16/fp32':>9} {'bf16 vs torch bf16':>18}")
    for size in sorted({k[2] for k in best if k[1] == "forward"}):
        for thr in sorted({k[3] for k in best if k[1] == "forward" and k[2] == size}):
            g = lambda side, mode: best.get((side, "forward", size, thr, mode), float("nan"))
            nchw, cl, tb, f32, b16, wino = (g("pytorch", "nchw"), g("pytorch", "channels_last"), g("pytorch", "bf16_autocast"),
                                            g("csharp", "fp32"), g("csharp", "bf16"), g("csharp", "winograd"))
            r = {"size": size, "threads": thr, "pytorch_nchw": nchw, "pytorch_channels_last": cl, "pytorch_bf16_autocast": tb,
                 "ours_fp32": f32, "ours_winograd": wino, "ours_bf16": b16, "fp32_ratio": min(nchw, cl) / f32, "winograd_ratio": min(nchw, cl) / wino,
                 "winograd_speedup": f32 / wino, "bf16_speedup": f32 / b16, "bf16_vs_pytorch_bf16": tb / b16}
            rows.append(r)
            print(f"{size:>5} {thr:>3} {nchw:>10.4f} {cl:>9.4f} {tb:>10.4f} {f32:>9.4f} {wino:>9.4f} {b16:>9.4f} {r['fp32_ratio']:>9.2f}x {r['winograd_ratio']:>9.2f}x "
                  f"{r['winograd_speedup']:>8.2f}x {r['bf16_speedup']:>8.2f}x {r['bf16_vs_pytorch_bf16']:>17.2f}x")
    train = []
    print("\ntrain step (patches/s; ratio = ours / PyTorch's)")
    print(f"{'batch':>5} {'thr':>3} {'torch fp32':>10} {'ours fp32':>9} {'ours bf16':>9} {'fp32 ratio':>10} {'bf16 ratio':>10}")
    for batch in sorted({k[2] for k in best if k[1] == "train"}):
        for thr in sorted({k[3] for k in best if k[1] == "train" and k[2] == batch}):
            rate = lambda side, p: batch / best.get((side, "train", batch, thr, p), float("nan"))
            t, o, b = rate("pytorch", "fp32"), rate("csharp", "fp32"), rate("csharp", "bf16")
            train.append({"batch": batch, "threads": thr, "pytorch_patches_per_s": t, "ours_fp32_patches_per_s": o, "ours_bf16_patches_per_s": b,
                          "fp32_ratio": o / t, "bf16_ratio": b / t})
            print(f"{batch:>5} {thr:>3} {t:>10.2f} {o:>9.2f} {b:>9.2f} {o / t:>9.2f}x {b / t:>9.2f}x")
    ev = {"pytorch_seconds": best.get(("pytorch", "eval")), "ours_seconds": best.get(("csharp", "eval"))}
    if ev["pytorch_seconds"] and ev["ours_seconds"]:
        ev["ratio"] = ev["pytorch_seconds"] / ev["ours_seconds"]
        print(f"\nSet5 evaluation end to end (15 inputs): eval.py's loop {ev['pytorch_seconds']:.2f} s, vdsr-eval {ev['ours_seconds']:.2f} s: {ev['ratio']:.2f}x")
    for p, v in extra.items():
        print(f"4K upscale (1920x1080 x2), vdsr-demo {p} (ran {v['ran']}): {v['seconds']:.1f} s, peak RSS {v['peak_rss_mb']} MB")
    json.dump({"cpu": cpu, "forward": rows, "train_step": train, "set5_eval": ev, "upscale_4k": extra}, open(out_path, "w"), indent=2)
    print(f"\nwrote {out_path}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
