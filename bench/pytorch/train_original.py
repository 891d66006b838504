"""main_vdsr.py's training loop for bench/train_race.sh: the same HDF5 dataset class, DataLoader,
sum-MSE, clip_grad_norm(clip), SGD with momentum and weight decay and the step decay, on one thread.
It saves the whole model (torch.save({"epoch", "model"}), as the original does) each time the
training clock passes a mark, then stops after the last mark. The clock counts the training loop
only (data loading and steps), not the saves. Snapshots: OUT/snapshot_<m>min.pth."""
import argparse
import os
import time

import h5py
import torch
import torch.nn as nn
import torch.optim as optim
import torch.utils.data as data
from torch.utils.data import DataLoader

from vdsr import Net


class DatasetFromHdf5(data.Dataset):
    def __init__(self, file_path):
        super().__init__()
        hf = h5py.File(file_path)
        self.data = hf.get("data")
        self.target = hf.get("label")

    def __getitem__(self, index):
        return torch.from_numpy(self.data[index, :, :, :]).float(), torch.from_numpy(self.target[index, :, :, :]).float()

    def __len__(self):
        return self.data.shape[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--minutes", default="10,20,30", help="training-clock marks, comma list")
    ap.add_argument("--batchSize", type=int, default=128)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--step", type=int, default=10)
    ap.add_argument("--clip", type=float, default=0.4)
    ap.add_argument("--momentum", type=float, default=0.9)
    ap.add_argument("--weight-decay", type=float, default=1e-4)
    ap.add_argument("--threads", type=int, default=1, help="data loader workers, as in main_vdsr.py")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    marks = sorted(float(m) for m in a.minutes.split(","))
    os.makedirs(a.out, exist_ok=True)
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)

    loader = DataLoader(dataset=DatasetFromHdf5(a.data), num_workers=a.threads, batch_size=a.batchSize, shuffle=True)
    model = Net()
    criterion = nn.MSELoss(reduction="sum")
    optimizer = optim.SGD(model.parameters(), lr=a.lr, momentum=a.momentum, weight_decay=a.weight_decay)

    clock, steps, epoch = 0.0, 0, 0
    while marks:
        epoch += 1
        for group in optimizer.param_groups:
            group["lr"] = a.lr * (0.1 ** ((epoch - 1) // a.step))
        model.train()
        t = time.perf_counter()
        for inp, target in loader:
            loss = criterion(model(inp), target)
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), a.clip)
            optimizer.step()
            steps += 1
            now = time.perf_counter()
            clock += now - t
            if clock >= marks[0] * 60:
                path = os.path.join(a.out, f"snapshot_{marks[0]:g}min.pth")
                torch.save({"epoch": epoch, "model": model}, path + ".tmp")
                os.replace(path + ".tmp", path)
                print(f"original snapshot minutes={marks[0]:g} steps={steps} clock_s={clock:.1f} loss={loss.item():.4f}", flush=True)
                marks.pop(0)
                if not marks:
                    break
            t = time.perf_counter()


if __name__ == "__main__":
    main()
