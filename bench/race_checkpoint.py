"""Prints the vdsr-train checkpoint of a race run taken when its training clock passed a mark:
the first logged step at or after MINUTES (the step that triggered --checkpoint-every-minutes)."""
import csv
import os
import sys


def main():
    folder, minutes = sys.argv[1], float(sys.argv[2])
    with open(os.path.join(folder, "training_log.csv")) as f:
        for row in csv.DictReader(f):
            if row["loss"] and float(row["elapsed_s"]) >= minutes * 60:
                path = os.path.join(folder, f"model_epoch_{row['epoch']}_iter_{row['iteration']}.safetensors")
                if not os.path.exists(path):
                    path = os.path.join(folder, f"model_epoch_{row['epoch']}.safetensors")  # the mark fell on an epoch's last step
                print(path)
                return
    sys.exit(f"{folder}: the run never reached {minutes:g} minutes of training")


if __name__ == "__main__":
    main()
