"""Rewrites a torch file (a LibTorch checkpoint or a torch.save zip archive) so that its tensors say they were saved
on another device, as a checkpoint written by a CUDA run does: the storage location string in data.pkl
("cpu", stored once and referenced by every storage) becomes DEVICE; every other record is copied as it
is. For testing on CPU-only machines that checkpoints load across devices.
Usage: python3 relocate_torch_file.py IN OUT DEVICE"""
import struct
import sys
import zipfile

source, target, device = sys.argv[1], sys.argv[2], sys.argv[3]
old = b"X" + struct.pack("<I", 3) + b"cpu"
new = b"X" + struct.pack("<I", len(device)) + device.encode()
with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as zout:
    relocated = 0
    for info in zin.infolist():
        data = zin.read(info.filename)
        if info.filename.endswith("/data.pkl"):
            relocated = data.count(old)
            data = data.replace(old, new)
        zout.writestr(info.filename, data)
if relocated == 0:
    sys.exit(f"{source}: no 'cpu' storage location in data.pkl")
print(f"{relocated} location(s) now {device}")
