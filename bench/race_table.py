"""Prints the table of bench/train_race.sh from the evaluations it wrote and saves OUT/race.json:
Set5 PSNR x2 / x3 / x4 of the original and of each contender at each mark, with step counts."""
import argparse
import json
import os
import re

from race_checkpoint import mark_step


def psnr(path):
    with open(path) as f:
        scales = json.load(f)["scales"]
    return {s["scale"]: s["psnrVdsr"] for s in scales}, {s["scale"]: s["psnrBicubic"] for s in scales}


def original_steps(log, minutes):
    for line in open(log):
        m = re.search(r"snapshot minutes=(\S+) steps=(\d+)", line)
        if m and float(m.group(1)) == minutes:
            return int(m.group(2))
    return None


def csharp_steps(folder, minutes):
    found = mark_step(folder, minutes)
    return found[0] if found else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--minutes", required=True)
    ap.add_argument("--cpu", default="")
    ap.add_argument("pairs", nargs="+")
    a = ap.parse_args()
    marks = [float(m) for m in a.minutes.split(",")]
    names = [p.split("=", 1)[0] for p in a.pairs]
    flags = {p.split("=", 1)[0]: p.split("=", 1)[1] for p in a.pairs}
    fmt = lambda d: " / ".join(f"{d[s]:.2f}" for s in sorted(d))
    result = {"cpu": a.cpu, "marks_minutes": marks, "pairs": {}}
    bicubic = None
    for name in names:
        d = os.path.join(a.out, name)
        rows = []
        for m in marks:
            o, bicubic = psnr(os.path.join(d, f"original_{m:g}.json"))
            c, _ = psnr(os.path.join(d, f"csharp_{m:g}.json"))
            rows.append({"minutes": m, "original_steps": original_steps(os.path.join(d, "original.log"), m),
                         "csharp_steps": csharp_steps(os.path.join(d, "csharp"), m), "original": o, "csharp": c})
        result["pairs"][name] = {"flags": flags[name], "rows": rows}
    print(f"\nTraining race on {a.cpu}: Set5 PSNR x2 / x3 / x4 (bicubic {fmt(bicubic)})")
    for name in names:
        print(f"\npair '{name}': vdsr-train {flags[name] or '(defaults)'}")
        print("| training time | steps (PyTorch / C#) | PyTorch original | vdsr-train |")
        print("|---|---|---|---|")
        for r in result["pairs"][name]["rows"]:
            print(f"| {r['minutes']:g} min | {r['original_steps']} / {r['csharp_steps']} | {fmt(r['original'])} | {fmt(r['csharp'])} |")
    print("\nall contenders (the original from the first pair; x2 difference to that pair's own original in brackets)")
    print("| training time | original | " + " | ".join(names) + " |")
    print("|---|---|" + "---|" * len(names))
    for i, m in enumerate(marks):
        first = result["pairs"][names[0]]["rows"][i]["original"]
        cells = []
        for name in names:
            r = result["pairs"][name]["rows"][i]
            cells.append(f"{fmt(r['csharp'])} ({r['csharp'][2] - r['original'][2]:+.2f})")
        print(f"| {m:g} min | {fmt(first)} | " + " | ".join(cells) + " |")
    with open(os.path.join(a.out, "race.json"), "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
