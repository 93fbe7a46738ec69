#!/usr/bin/env python3
"""Writes issue 18's hostile inputs into a folder (argument 1), next to a copy of a good image folder (argument 2).

Each case is a folder or file the command line should refuse with exit 2 and one line naming it; run-cases.sh runs
them under /usr/bin/time. Standard library only.
"""
import gzip, os, shutil, struct, sys, zlib, zipfile

out, good = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

def png(width, height, rows):
    raw = zlib.compress(b"\0" * ((width + 1) * rows), 9)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")

def copy_with(name, bad_bytes):
    folder = os.path.join(out, name)
    shutil.copytree(good, folder)
    victim = sorted(os.path.join(r, f) for r, _, fs in os.walk(folder) for f in fs if f.endswith(".png"))[7]
    bad = bad_bytes(victim)  # read the good image before it is overwritten
    with open(victim, "wb") as f:
        f.write(bad)
    return victim

# 1. images claiming huge sizes, and a truncated one
print("huge", copy_with("huge", lambda v: png(100000, 100000, 4)))
print("large", copy_with("large", lambda v: png(16000, 16000, 16)))
print("truncated", copy_with("truncated", lambda v: open(v, "rb").read()[:200]))

# 4. IDX: a header whose size wraps to 0, and a gzip pair claiming 100 million 1x1 images
with open(os.path.join(out, "wrap-images-idx3-ubyte"), "wb") as f:
    f.write(struct.pack(">IIII", 0x803, 16, 1 << 30, 1 << 30))
with open(os.path.join(out, "wrap-labels-idx1-ubyte"), "wb") as f:
    f.write(struct.pack(">II", 0x801, 16) + b"\0" * 16)
for name, magic, dims, n in [("bomb-images-idx3-ubyte.gz", 0x803, (100_000_000, 1, 1), 100_000_000),
                             ("bomb-labels-idx1-ubyte.gz", 0x801, (100_000_000,), 100_000_000)]:
    with gzip.open(os.path.join(out, name), "wb", compresslevel=9) as f:
        f.write(struct.pack(">I" + "I" * len(dims), magic, *dims))
        block = b"\0" * (1 << 20)
        for start in range(0, n, len(block)):
            f.write(block[: min(len(block), n - start)])

# 9. a zip of 2,100 entries of 1 MB of zeros (about 2.3 MB on disk)
with zipfile.ZipFile(os.path.join(out, "many.zip"), "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    zeros = b"\0" * 1_000_000
    for i in range(2100):
        z.writestr(f"c{i % 10}/img{i}.png", zeros)
