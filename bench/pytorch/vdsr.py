"""The one PyTorch VDSR definition every bench script imports. Module and class names follow the
original pytorch-vdsr (module `vdsr`, classes `Net` and `Conv_ReLU_Block`), so torch.load can
unpickle the bundled models/model_epoch_50.pth with this file on sys.path; bias-free 3x3 convs
with ReLU, a global residual, He init."""
import math

import torch.nn as nn


class Conv_ReLU_Block(nn.Module):
    def __init__(self, width=64):
        super().__init__()
        self.conv = nn.Conv2d(width, width, 3, 1, 1, bias=False)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        return self.relu(self.conv(x))


class Net(nn.Module):
    def __init__(self, depth=20, width=64):
        super().__init__()
        self.residual_layer = nn.Sequential(*[Conv_ReLU_Block(width) for _ in range(depth - 2)])
        self.input = nn.Conv2d(1, width, 3, 1, 1, bias=False)
        self.output = nn.Conv2d(width, 1, 3, 1, 1, bias=False)
        self.relu = nn.ReLU(inplace=True)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                m.weight.data.normal_(0, math.sqrt(2.0 / (9 * m.out_channels)))

    def forward(self, x):
        out = self.output(self.residual_layer(self.relu(self.input(x))))
        return out + x
