"""Prints the vdsr-train checkpoint of a race run taken when its training clock passed a mark:
the first logged step at or after MINUTES (the step that triggered --checkpoint-every-minutes)."""
import csv
import os
import sys


def mark_step(folder, minutes):
    """(steps of the run so far, epoch, iteration) of the first logged step at or after the mark, or None."""
    steps = 0
    with open(os.path.join(folder, "training_log.csv")) as f:
        for row in csv.DictReader(f):
            if row["loss"]:
                steps += 1
                if float(row["elapsed_s"]) >= minutes * 60:
                    return steps, row["epoch"], row["iteration"]
    return None


def main():
    folder, minutes = sys.argv[1], float(sys.argv[2])
    found = mark_step(folder, minutes)
    if found is None:
        sys.exit(f"{folder}: the run never reached {minutes:g} minutes of training")
    _, epoch, iteration = found
    path = os.path.join(folder, f"model_epoch_{epoch}_iter_{iteration}.safetensors")
    if not os.path.exists(path):
        path = os.path.join(folder, f"model_epoch_{epoch}.safetensors")  # the mark fell on an epoch's last step
    print(path)


if __name__ == "__main__":
    main()
