#!/usr/bin/python3
"""Corrupted images and PIL's verdict on each, for the differential test (PilDifferentialTest).

Usage: /usr/bin/python3 tools/testdata/make_mutants.py OUTDIR SOURCE_DIR [SOURCE_DIR ...]

Every image file in the source directories (the synthetic images of every format that make_pil_reference.py writes,
and the shared photos when present) is mutated with a seeded generator: truncations, bit flips in headers and
anywhere, zeroed runs, appended bytes, and format-aware damage (PNG chunk data with a stale CRC, a wrong CRC or chunk
length, a dropped chunk; JPEG segment lengths, markers, a missing EOI, damaged entropy-coded data, a dropped table;
GIF, BMP and WebP header fields). Each mutant is then opened the way Hugging Face's pipeline does (PIL:
Image.open -> ImageOps.exif_transpose -> convert('RGB') -> resize the short side to 256 with BICUBIC -> centre crop
224) and its verdict written to OUTDIR/pil.tsv: "accept" with the SHA-256 of the 224x224 RGB crop (8-bit, row-major),
or "refuse" with PIL's exception. Images PIL would open at over Argus's default pixel limit (50 MP) are not decoded by
PIL (it would allocate gigabytes for a flipped size field): their verdict is "limit".

Deterministic (same files, same verdicts on the same PIL) and idempotent (a stamp file).
"""
import hashlib
import io
import os
import random
import struct
import sys
import warnings

try:
    import numpy as np
    from PIL import Image, ImageOps, __version__ as PIL_VERSION
except ImportError as e:
    sys.exit(f"make_mutants.py needs PIL and numpy ({e}): run it with /usr/bin/python3")

SHORT, CROP = 256, 224
MAX_PIXELS = 50_000_000
SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp")


# ---------------------------------------------------------------- mutations: each takes (data, rng), returns bytes

def flip_bits(data, rng, lo, hi, count):
    out = bytearray(data)
    for _ in range(count):
        i = rng.randrange(lo, max(lo + 1, hi))
        if i < len(out):
            out[i] ^= 1 << rng.randrange(8)
    return bytes(out)


def truncate(data, rng):
    return data[:rng.randrange(1, len(data))]


def truncate_tail(data, rng):
    return data[:max(1, len(data) - rng.randrange(1, 65))]


def flip_head(data, rng):
    return flip_bits(data, rng, 0, min(len(data), 512), 1)


def flip_any(data, rng):
    return flip_bits(data, rng, 0, len(data), rng.randrange(1, 5))


def zero_run(data, rng):
    n = rng.randrange(16, 257)
    i = rng.randrange(0, max(1, len(data) - n))
    return data[:i] + bytes(min(n, len(data) - i)) + data[i + n:]


def append(data, rng):
    return data + bytes(rng.randrange(256) for _ in range(rng.randrange(1, 1000)))


# PNG: chunks are length (4, big-endian), type (4), data, CRC (4) after the 8-byte signature

def png_chunks(data):
    chunks, i = [], 8
    while i + 12 <= len(data):
        (n,) = struct.unpack(">I", data[i:i + 4])
        if i + 12 + n > len(data):
            break
        chunks.append((i, n, data[i + 4:i + 8]))
        i += 12 + n
    return chunks


def png_stale_crc(data, rng):
    chunks = [c for c in png_chunks(data) if c[1] > 0]
    if not chunks:
        return flip_any(data, rng)
    i, n, _ = rng.choice(chunks)
    return flip_bits(data, rng, i + 8, i + 8 + n, 1)


def png_wrong_crc(data, rng):
    chunks = png_chunks(data)
    if not chunks:
        return flip_any(data, rng)
    i, n, _ = rng.choice(chunks)
    return flip_bits(data, rng, i + 8 + n, i + 12 + n, 1)


def png_wrong_length(data, rng):
    chunks = png_chunks(data)
    if not chunks:
        return flip_any(data, rng)
    i, n, _ = rng.choice(chunks)
    delta = rng.choice([-4, -1, 1, 4, 1 << 20, 1 << 30])
    return data[:i] + struct.pack(">I", max(0, n + delta) & 0xFFFFFFFF) + data[i + 4:]


def png_drop_chunk(data, rng):
    chunks = png_chunks(data)
    if not chunks:
        return truncate(data, rng)
    i, n, _ = rng.choice(chunks)
    return data[:i] + data[i + 12 + n:]


# JPEG: marker segments up to the first SOS; the entropy-coded data after it

def jpeg_segments(data):
    segs, i = [], 2
    while i + 4 <= len(data) and data[i] == 0xFF:
        marker = data[i + 1]
        if marker == 0xD8 or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        (n,) = struct.unpack(">H", data[i + 2:i + 4])
        segs.append((i, n, marker))
        if marker == 0xDA:
            break
        i += 2 + n
    return segs


def jpeg_segment_length(data, rng):
    segs = jpeg_segments(data)
    if not segs:
        return flip_head(data, rng)
    i, n, _ = rng.choice(segs)
    new = max(0, min(0xFFFF, n + rng.choice([-3, -1, 1, 2, 100, 5000])))
    return data[:i + 2] + struct.pack(">H", new) + data[i + 4:]


def jpeg_marker(data, rng):
    segs = jpeg_segments(data)
    if not segs:
        return flip_head(data, rng)
    i, _, _ = rng.choice(segs)
    out = bytearray(data)
    out[i + 1] = rng.choice([0x00, 0xC3, 0xCF, 0xD9, 0xDA, 0xDD, 0xFE, rng.randrange(256)])
    return bytes(out)


def jpeg_no_eoi(data, rng):
    return data[:-2] if data.endswith(b"\xff\xd9") else truncate_tail(data, rng)


def jpeg_scan_damage(data, rng):
    segs = jpeg_segments(data)
    start = segs[-1][0] + 2 + segs[-1][1] if segs and segs[-1][2] == 0xDA else len(data) // 2
    return flip_bits(data, rng, start, len(data) - 2, rng.randrange(1, 9))


def jpeg_drop_segment(data, rng):
    segs = [s for s in jpeg_segments(data) if s[2] in (0xDB, 0xC4, 0xC0, 0xC2, 0xE0, 0xE1, 0xDD)]
    if not segs:
        return truncate(data, rng)
    i, n, _ = rng.choice(segs)
    return data[:i] + data[i + 2 + n:]


# GIF, BMP, WebP: header fields

def gif_header(data, rng):
    return flip_bits(data, rng, 6, min(len(data), 13 + 48), 1)  # logical screen descriptor and the colour table start


def gif_no_trailer(data, rng):
    return data[:-1] if data.endswith(b";") else truncate_tail(data, rng)


def bmp_field(data, rng):
    out = bytearray(data)
    field = rng.choice([(2, 4), (10, 4), (14, 4), (18, 4), (22, 4), (28, 2), (30, 4), (34, 4), (46, 4)])
    value = rng.choice([0, 1, 0x7FFFFFFF, 0xFFFFFFFF, rng.randrange(1 << 16), -1 & 0xFFFFFFFF])
    width = field[1]
    out[field[0]:field[0] + width] = (value & ((1 << (8 * width)) - 1)).to_bytes(width, "little")
    return bytes(out)


def webp_size(data, rng):
    out = bytearray(data)
    where = rng.choice([4, 16]) if len(out) > 20 else 4  # RIFF size, or the first chunk's size
    value = rng.choice([0, 1, len(out), len(out) * 4, 0xFFFFFFFF, rng.randrange(1 << 20)])
    out[where:where + 4] = struct.pack("<I", value & 0xFFFFFFFF)
    return bytes(out)


GENERIC = [truncate, truncate_tail, flip_head, flip_any, zero_run, append]
BY_FORMAT = {
    ".png": [png_stale_crc, png_wrong_crc, png_wrong_length, png_drop_chunk],
    ".jpg": [jpeg_segment_length, jpeg_marker, jpeg_no_eoi, jpeg_scan_damage, jpeg_drop_segment],
    ".gif": [gif_header, gif_no_trailer],
    ".bmp": [bmp_field],
    ".webp": [webp_size],
}


def mutations_for(name):
    ext = os.path.splitext(name)[1].lower()
    ext = ".jpg" if ext == ".jpeg" else ext
    return GENERIC + BY_FORMAT.get(ext, [])


# ---------------------------------------------------------------- PIL's verdict, as Hugging Face opens an image

def pil_verdict(data):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as im:
                if im.size[0] * im.size[1] > MAX_PIXELS:
                    return "limit", f"{im.size[0]}x{im.size[1]}"
                im = ImageOps.exif_transpose(im).convert("RGB")
                w, h = im.size
                short, long = (w, h) if w <= h else (h, w)
                if short != SHORT:
                    new_long = int(SHORT * long / short)
                    if new_long > 1_000_000:
                        return "limit", f"{w}x{h} resizes to {new_long}"
                    im = im.resize((SHORT, new_long) if w <= h else (new_long, SHORT), Image.BICUBIC)
                w, h = im.size
                top, left = (h - CROP) // 2, (w - CROP) // 2
                crop = np.ascontiguousarray(np.asarray(im.crop((left, top, left + CROP, top + CROP)), dtype=np.uint8))
                return "accept", hashlib.sha256(crop.tobytes()).hexdigest()
    except Exception as e:  # noqa: BLE001 - every refusal is a verdict
        text = " ".join(str(e).split())[:200]
        return "refuse", f"{type(e).__name__}: {text}"


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    out_dir = os.path.abspath(argv[1])
    sources = []
    for d in argv[2:]:
        if os.path.isdir(d):
            sources += sorted(os.path.join(d, f) for f in os.listdir(d) if f.lower().endswith(SUFFIXES))
    if not sources:
        sys.exit("make_mutants.py: no source images in " + " ".join(argv[2:]))

    stamp = hashlib.sha256()
    with open(os.path.abspath(__file__), "rb") as f:
        stamp.update(f.read())
    stamp.update(PIL_VERSION.encode() + np.__version__.encode())
    for p in sources:
        with open(p, "rb") as f:
            stamp.update(os.path.basename(p).encode() + hashlib.sha256(f.read()).digest())
    stamp = stamp.hexdigest()
    stamp_path = os.path.join(out_dir, "stamp")
    index = os.path.join(out_dir, "pil.tsv")
    if os.path.exists(stamp_path) and os.path.exists(index) and open(stamp_path).read().strip() == stamp:
        print(f"{out_dir}: up to date")
        return

    files_dir = os.path.join(out_dir, "files")
    os.makedirs(files_dir, exist_ok=True)
    for old in os.listdir(files_dir):
        os.remove(os.path.join(files_dir, old))
    rows = ["# file\tmutation\tsource\tverdict\tdetail (accept: SHA-256 of the 224x224 RGB crop; refuse: PIL's error)"]
    counts = {}
    for src in sources:
        name = os.path.basename(src)
        with open(src, "rb") as f:
            data = f.read()
        per_kind = 2 if len(data) > 600_000 else 6  # large photos: fewer copies of a big file
        for kind in mutations_for(name):
            for k in range(per_kind):
                rng = random.Random(f"{name}:{kind.__name__}:{k}")
                mutant = kind(data, rng)
                if not mutant:
                    continue
                file = f"{os.path.splitext(name)[0]}.{kind.__name__}.{k}{os.path.splitext(name)[1]}"
                with open(os.path.join(files_dir, file), "wb") as f:
                    f.write(mutant)
                verdict, detail = pil_verdict(mutant)
                counts[verdict] = counts.get(verdict, 0) + 1
                rows.append(f"{file}\t{kind.__name__}\t{name}\t{verdict}\t{detail}")
    tmp = index + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(rows) + "\n")
    os.replace(tmp, index)
    with open(stamp_path, "w") as f:
        f.write(stamp + "\n")
    print(f"{out_dir}: {len(rows) - 1} mutants of {len(sources)} images; PIL: "
          + ", ".join(f"{v} {n}" for v, n in sorted(counts.items())))


if __name__ == "__main__":
    main(sys.argv)
