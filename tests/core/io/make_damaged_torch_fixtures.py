#!/usr/bin/env python3
"""Writes the damaged torch.save files in fixtures/ that FrameDataReaderTest.cpp expects refused.

Each is fixtures/testfeat.pth with one thing changed that LibTorch 1.13 would act on unchecked
(found by fuzz_torch). Needs only the standard library:
    python3 tests/core/io/make_damaged_torch_fixtures.py
"""
import os
import struct
import zipfile

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
with zipfile.ZipFile(os.path.join(here, "testfeat.pth")) as z:
    members = {name: z.read(name) for name in z.namelist()}
pickle = members["testfeat/data.pkl"]


def write(name, changed_pickle):
    assert changed_pickle != pickle
    with zipfile.ZipFile(os.path.join(here, name), "w", zipfile.ZIP_STORED) as z:
        for member, data in members.items():
            z.writestr(member, changed_pickle if member.endswith("data.pkl") else data)


# A string declaring 2 GB: LibTorch allocates it before reading.
write("torch_string_bomb.pth", pickle.replace(b"X\x07\x00\x00\x00storage", b"X\xff\xff\xff\x7fstorage", 1))
# A memo entry at index 2^32 - 1: LibTorch reserves a memo that long.
write("torch_memo_bomb.pth", pickle.replace(b"storageq\x01", b"storager\xff\xff\xff\xff", 1))
# A 4096 x 3 view of an 18-element storage: LibTorch copies from beyond it.
write("torch_view_beyond_storage.pth", pickle.replace(b"K\x06K\x03\x86", b"M\x00\x10K\x03\x86", 1))

# A REDUCE with one value on the stack: LibTorch pops what is not there (and frees a wild pointer).
write("torch_stack_underflow.pth", pickle.replace(b")Rq\ttq\nR", b")tRq\tq\nR", 1))

# A storage of 19 floats whose record holds 18: LibTorch reads past the record.
write("torch_storage_short.pth", pickle.replace(b"cpuq\x04K\x12", b"cpuq\x04K\x13", 1))

# A stored member declaring more bytes than the file holds: LibTorch's zip reader reads past the end.
data = bytearray(open(os.path.join(here, "testfeat.pth"), "rb").read())
entry = data.rfind(b"PK\x01\x02", 0, data.find(b"testfeat/data/0", data.find(b"PK\x01\x02")))
struct.pack_into("<II", data, entry + 20, 0x7FFFFFFF, 0x7FFFFFFF)  # compressed, uncompressed sizes
with open(os.path.join(here, "torch_member_overrun.pth"), "wb") as out:
    out.write(data)
