#!/usr/bin/python3
"""Reference tensors for Argus' preprocessing, computed with PIL exactly as Hugging Face's microsoft/resnet-50 does.

Usage: /usr/bin/python3 tools/testdata/make_pil_reference.py OUTDIR [SHARED_IMAGES_DIR]

Writes synthetic test images in every supported format to OUTDIR/images/, and for each of them and for every *.jpg
in SHARED_IMAGES_DIR (when given and present) the reference tensor as raw little-endian float32, plus OUTDIR/index.tsv.
Run it with Debian's /usr/bin/python3 (python3-pil, python3-numpy), not another python3 on PATH.

Reference (docs/reference.md, "Preprocessing"): ImageOps.exif_transpose -> convert('RGB') -> resize the short side
to 256 (long side int(256 * long / short), skipped when the short side is already 256) with Image.BICUBIC -> centre
crop 224x224 (top = (H - 224) // 2) -> /255 -> (x - mean) / std -> NCHW float32.
A few images also get a "stretch" reference: resize straight to 299x199 (width x height), no crop.

Hugging Face image processors: for every tools/testdata/hf-processors/*.json (but resnet-50.json, which is the
reference above), the shared photos and the STRETCH_ALSO images also get a reference made as transformers documents
that processor (ConvNextImageProcessor, ViTImageProcessor, BitImageProcessor; see hf_reference), written here from the
documented algorithm with PIL: index rows with spec "hf:<config file name>".

Deterministic and idempotent: a stamp file records what the outputs were made from; when nothing changed it exits at
once.
"""
import base64
import hashlib
import io
import json
import os
import struct
import sys
import zlib

try:
    import numpy as np
    from PIL import Image, ImageDraw, ImageOps, __version__ as PIL_VERSION
except ImportError as e:  # a python3 without Debian's python3-pil / python3-numpy
    sys.exit(f"make_pil_reference.py needs PIL and numpy ({e}): run it with /usr/bin/python3"
             " (apt-get install python3-pil python3-numpy)")

MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)
SHORT, CROP = 256, 224
STRETCH_W, STRETCH_H = 299, 199


# ---------------------------------------------------------------- synthetic content (all deterministic)

def gradient(w, h):
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    r = 255 * x / max(w - 1, 1)
    g = 255 * y / max(h - 1, 1)
    b = 127.5 + 127.5 * np.sin((x + 2 * y) / 23.0)
    return np.stack([r, g, b], axis=-1).round().astype(np.uint8)


def noise(w, h, seed):
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)


def photo_like(w, h, seed):
    """Smooth blobs plus a little grain: closer to a photo than pure noise, with plenty of mid frequencies."""
    rng = np.random.default_rng(seed)
    small = Image.fromarray(rng.integers(0, 256, (h // 32 + 2, w // 32 + 2, 3), dtype=np.uint8))
    base = np.asarray(small.resize((w, h), Image.BILINEAR), dtype=np.int16)
    grain = rng.integers(-12, 13, (h, w, 3), dtype=np.int16)
    return np.clip(base + grain, 0, 255).astype(np.uint8)


def edges(w, h):
    """Checkerboards of several periods, hard lines, discs and text: worst case for ringing and rounding."""
    y, x = np.mgrid[0:h, 0:w]
    a = np.zeros((h, w, 3), dtype=np.uint8)
    a[..., 0] = np.where(((x // 8) + (y // 8)) % 2 == 0, 255, 0)
    a[..., 1] = np.where(((x // 3) + (y // 5)) % 2 == 0, 230, 20)
    a[..., 2] = np.where((x * 7 + y * 3) % 61 < 30, 250, 5)
    im = Image.fromarray(a)
    d = ImageDraw.Draw(im)
    for i in range(0, min(w, h) // 2, 37):
        d.ellipse((i, i, w - i - 1, h - i - 1), outline=(255, 255, 0), width=3)
    for i in range(0, w, 97):
        d.line((i, 0, w - 1 - i // 2, h - 1), fill=(0, 0, 0), width=1)
    d.text((w // 3, h // 3), "Argus 0123456789 ABCDEFG", fill=(255, 255, 255))
    return np.asarray(im)


def asymmetric(w, h):
    """A picture whose every orientation looks different: gradient plus a marker in the top-left corner."""
    a = gradient(w, h).copy()
    a[10:60, 10:40] = (255, 0, 0)
    a[h - 30:h - 10, w // 2:w // 2 + 80] = (0, 0, 255)
    return a


# ---------------------------------------------------------------- hand-made PNG (modes PIL cannot save)

def png_bytes(w, h, bit_depth, colour_type, rows, palette=None, trns=None):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, bit_depth, colour_type, 0, 0, 0))
    if palette is not None:
        out += chunk(b"PLTE", bytes(palette))
    if trns is not None:
        out += chunk(b"tRNS", bytes(trns))
    raw = b"".join(b"\x00" + r for r in rows)
    return out + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")


def pack_bits(values, bits):
    """Packs one row of small integers MSB first, as PNG does for 1/2/4-bit samples."""
    per = 8 // bits
    out = bytearray()
    for i in range(0, len(values), per):
        b = 0
        for j in range(per):
            v = int(values[i + j]) if i + j < len(values) else 0
            b |= v << (8 - bits * (j + 1))
        out.append(b)
    return bytes(out)


# ---------------------------------------------------------------- the synthetic image set

# A 72x48 YCCK JPEG (Adobe transform 2): PIL cannot write one, so it was written once with the JDK's JPEG writer
# (a 4-band raster plus an app14Adobe transform="2" metadata node) and is kept here verbatim.
YCCK_JPEG = (
    "/9j/7gAOQWRvYmUAZQAAAAAC/9sAQwAIBgYHBgUIBwcHCQkICgwUDQwLCwwZEhMPFB0aHx4dGhwcICQuJyAiLCMcHCg3KSww"
    "MTQ0NB8nOT04MjwuMzQy/9sAQwEJCQkMCwwYDQ0YMiEcITIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIy"
    "MjIyMjIyMjIyMjIy/8AAFAgAMABIBAEiAAIRAQMRAQQRAf/EAB8AAAEFAQEBAQEBAAAAAAAAAAABAgMEBQYHCAkKC//EALUQ"
    "AAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5"
    "OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TF"
    "xsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+v/aAA4EAQACAAMABAAAPwDwu07VuWnasO07VuWnauhT/jz/AArU"
    "/ttK8/0HQft+OM5rctO1btp2rCtO1btp2rz3/l8/Gj+20rsG0PR7ST7OymWUdVUZx9ScAfQZI7ity07Vu2nasK07Vu2navQm"
    "/wCPP8KP7bSpG060iO1reNG/uktI34hApGe2cVuWnaty07Vh2naty07V57H/AMfn40f22lS/YbRJcNCgPHBVV9OgZmc++R79"
    "K3bTtRRadqK9Otv9UKP7bSoktIUUB4cn/dQf+hQKf0xXw5adq3LTtWHadq3LTtVNP+PP8K4LyJ6j0NpLTR1a34llIVT6Z5J/"
    "ADA9CQa3LTtW7adqwrTtW7adq89/5fPxo8ier6rHbRm3tyURDtJX7zt/cT29T/JRzuWnat207VhWnat207V6E3/Hn+FHkT0K"
    "rQAxgBAOCFJCr/sswG52x1RcZ5GAeK3LTtW5adqw7TtW5adq89j/AOPz8aPInpBtiyq/KBxgfKM+mAQOf9pmY/3eAK3bTtRR"
    "adqK9Otv9UKPInpYpvs67MY6cbAf5NHj8UHrXw5adq3LTtWHadq3LTtVNP8Ajz/CvS/7NiqppzGK0t2X7yRkr/vSMEB98Fc4"
    "9q3LTtW7adqwrTtW7adq89/5fPxo/s2KraqIGAjOAgKgj+FQQGZe252+VD3wMHIFblp2rdtO1YVp2rdtO1ehN/x5/hR/ZsVM"
    "A2Y4wRxx0UdwD1AB4Zh8zt8q4ArctO1blp2rDtO1blp2rz2P/j8/Gj+zYqeAYiMjBXp0GBxkdRjHGQCP9t2b5a3bTtRRadqK"
    "9Otv9UKP7NipY5Y4V2sB+JYfhwhAwe2Ex/dGcn//2RaDLc39xBqsMk2l2gMwihs5N2FD/N5MaqyEBCEPKsWVCCDw3w/Z9q6j"
    "7B7V4/DD7VrXSR6VFBbCz+xRtLK+nTx+XJuJLspICElGLLGq7gp8zGBgZ6Cz7UfYPatCGH2rMk1J1mS0trgXtm9uzGG7G+CK"
    "JURcRlpHCb0cn5zuGf4FYFugs+1H2D2rQhh9qnuxLf8A26bWdVjtbxJLi0t2nuQkE8G85jSTKneJI9pJ4wVbB4Y9BZ9qPsHt"
    "WhDD7U46bHfWz2mpQW7ajc2zyySMxlCwIqDdt3kgkMWJLSPu3sow2R0Fn2o+we1aEMPtSaVZRWvhiex+0xvDNbC7MwjkD7GY"
    "MFco3LLJGwyY8gbiMZcL0Fn2o+we1aEMPtWZZaJZf2bBESjta3ixxtqkciRiSR/nUBHIkLBSThtvCAg5JXoLPtR9g9q0IYfa"
    "rFvPDc3Ic2El9Fp8pluHitRF9sn2uVKP5e6OTf5O5cqNwdcSM+D0Fn2o+we1aEMPtUmk6UrfY5YmjubGaFwj3PmW0MUp3cwg"
    "7c78KuQWYO+/C7cN8P2faup+we1ePww+1MuNAutTtRJDHZakSUhaB5kkmtVWTc4PlOiqSfJLv1AYnjGa6Cz7UfYPatCGH2qa"
    "y1WRvNuE1R5raZJpZLRbZJVZy/lR7I3BMqvISCsZVAWxuUrz0Fn2o+we1aEMPtUMkl1ayXdk0sdxfpGhs5lIlQQM++SMJGHk"
    "Kn96rPuJY4Bx0HQWfaj7B7VoQw+1ac1tdT6zoy3WlJZ281hHbF3ijxbw71QJ5nm+WxKngquWBCbThlHQWfaj7B7VoQw+1U4/"
    "+Qo81ulxckBNsflEpcSZbYXCMSqoyFvmSLqx+RQqjoLPtR9g9q0IYfatHUvPuJIruBWaWZpGVY7URzxHY+f3gUhhu89mWLc7"
    "BWGJAzEdBZ9qPsHtWhDD7ViQRai8C3ZjkjKTW9sb+1vi0EknmRqWZmDFgy+WGXacNGGwNz7egs+1H2D2rQhh9q1rDT4NMjnu"
    "LBYLKTUVljTybmQFpfL85Q8u9srtJBZGj4UNk5Qr8P2fauo+we1ePww+1Zb6hLazjw/Lp8n9p/a1nVW2SSx7v3nnyOqADkqS"
    "xOQMDg5YdBZ9qPsHtWhDD7VPLpX9oPfXZkhae7WSaOZIOZp0MRzA7AKfnDpj7zKqkYDs56Cz7UfYPatCGH2pU16HToNGj0fX"
    "UnLw7Jlvb5FhtTGXG+ISlyjkeYgIbaoC5yHWugs+1H2D2rQhh9qp28c8bSW8Nza2lnPBJJmd1lhiTAXZHLKo3ELEI3AygXHO"
    "VAHQWfaj7B7VoQw+1XdbhSYtpmnz3a6YuJmj8jzXJk3q22LCvgSozOmCjYJJGAp6Cz7UfYPatCGH2obWpA16yNBp8IgNrLLc"
    "XYUxykzJmP5tyHMSyberEHIYnfXQWfaj7B7VoQw+1RQXtzYzzyX2h3aaarvCJbiT7TEjMwMg5AZlwsONwJDxKCQd1dBZ9qPs"
    "HtWhDD7UXBgXWbxb64khheKIX5uIjtt0kKSbYHzsYKWPYEkl13Ng18P2fauo+we1ePww+1XdKu/tVzcWVxJbuy/aGuI7jKF5"
    "sMSIwzGRIx5jDGwKFMxPzfKvQWfaj7B7VoQw+1SWH2gT29laXaSMIEIuCR5VxIJi6KigDje8WWwVIkyckhj0Fn2o+we1aEMP"
    "tWFHZzpaQtEmry3FtKkRkit9sTfvIkJ3lc7RLESg2g8IchkYV0Fn2o+we1aEMPtWjqcyWtrBZi6824ngOpFnuUilm8os6FRG"
    "owjfMVEecu+8M20uegs+1H2D2rQhh9qtXUgubS1uo7G5gkWYwi2twBcbOWZQ+EKYfDgMx2uRgEFGroLPtR9g9q0IYfas+1Mt"
    "3qOnzPevdSXkyxfa5phb3MscauwVF87KjO3JDpnIJQnO7oLPtR9g9q0IYfar1trE95G73Fs502yKKsF4A7TESqsrSAMwVgI5"
    "nAxneW6kLnoLPtR9g9q0IYfaqux9U8PWk8dxNaolvB5xZQ9pPI4Knf8AIWLt53zbvvfLnlg6/wD/2Q=="
)


def exif_bytes(orientation):
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif.tobytes()


def offset_frame_gif():
    """A GIF whose first frame (180x120) sits at (70, 50) on a 300x220 logical screen: PIL shows the whole screen,
    filled with palette index 0, the frame drawn at its offset. PIL cannot write one, so patch what it writes."""
    buf = io.BytesIO()
    Image.fromarray(photo_like(180, 120, 27)).quantize(64).save(buf, "GIF")
    data = bytearray(buf.getvalue())
    data[6:10] = struct.pack("<HH", 300, 220)          # logical screen descriptor: width, height
    desc = data.index(b"\x2c", 13 + 3 * (2 << (data[10] & 7)))  # image descriptor after the global colour table
    data[desc + 1:desc + 5] = struct.pack("<HH", 70, 50)  # frame left, top
    return bytes(data)


def make_images(images_dir):
    """Returns {file name: bytes}. Everything here must be a pure function of this script."""
    files = {}

    def save(name, im, fmt, **kw):
        buf = io.BytesIO()
        im.save(buf, fmt, **kw)
        files[name] = buf.getvalue()

    rgb = Image.fromarray
    # JPEG
    save("edges-1600x1200.jpg", rgb(edges(1600, 1200)), "JPEG", quality=90)
    save("photo-1024x683.jpg", rgb(photo_like(1024, 683, 1)), "JPEG", quality=85)
    save("photo-progressive-800x600.jpg", rgb(photo_like(800, 600, 2)), "JPEG", quality=88, progressive=True)
    save("noise-444-301x211.jpg", rgb(noise(301, 211, 3)), "JPEG", quality=95, subsampling=0)
    save("photo-422-517x333.jpg", rgb(photo_like(517, 333, 4)), "JPEG", quality=80, subsampling=1)
    save("grey-300x400.jpg", rgb(photo_like(300, 400, 5)).convert("L"), "JPEG", quality=90)
    save("cmyk-400x300.jpg", rgb(photo_like(400, 300, 6)).convert("CMYK"), "JPEG", quality=92)
    files["ycck-72x48.jpg"] = base64.b64decode(YCCK_JPEG)
    save("short256-300x256.jpg", rgb(photo_like(300, 256, 7)), "JPEG", quality=90)
    for o in range(1, 9):
        save(f"exif-orientation-{o}.jpg", rgb(asymmetric(320, 240)), "JPEG", quality=92, exif=exif_bytes(o))
    # PNG
    save("gradient-640x480.png", rgb(gradient(640, 480)), "PNG")
    save("noise-333x517.png", rgb(noise(333, 517, 8)), "PNG")
    save("grey-257x190.png", rgb(photo_like(257, 190, 9)).convert("L"), "PNG")
    save("palette-350x260.png", rgb(photo_like(350, 260, 10)).quantize(256), "PNG")
    pal = rgb(edges(240, 320)).quantize(16)
    save("palette-trns-240x320.png", pal, "PNG", transparency=3)
    rgba = np.dstack([noise(300, 300, 11), gradient(300, 300)[..., :1]])
    rgba[:50, :, 3] = 0  # fully transparent rows with non-zero colour: PIL keeps the colour
    save("rgba-300x300.png", Image.fromarray(rgba, "RGBA"), "PNG")
    save("la-200x260.png", rgb(photo_like(200, 260, 12)).convert("LA"), "PNG")
    save("tiny-1x1.png", rgb(np.array([[[200, 30, 90]]], dtype=np.uint8)), "PNG")
    save("tiny-10x10.png", rgb(noise(10, 10, 13)), "PNG")
    save("thin-7x300.png", rgb(noise(7, 300, 14)), "PNG")
    save("short256-256x384.png", rgb(photo_like(256, 384, 15)), "PNG")
    save("exif-orientation-6.png", rgb(asymmetric(320, 240)), "PNG", exif=exif_bytes(6))
    n16 = np.random.default_rng(16).integers(0, 65536, (230, 310, 3), dtype=np.uint16)
    files["rgb16-310x230.png"] = png_bytes(310, 230, 16, 2, [r.astype(">u2").tobytes() for r in n16])
    a16 = np.random.default_rng(17).integers(0, 65536, (240, 240, 4), dtype=np.uint16)
    files["rgba16-240x240.png"] = png_bytes(240, 240, 16, 6, [r.astype(">u2").tobytes() for r in a16])
    # 16-bit grey: PIL opens it as mode I and convert('RGB') CLIPS to 0..255 (it does not scale). Mostly small
    # values here so that both the clipped and the unclipped part are exercised.
    g16 = np.random.default_rng(18).integers(0, 400, (250, 260), dtype=np.uint16)
    files["grey16-260x250.png"] = png_bytes(260, 250, 16, 0, [r.astype(">u2").tobytes() for r in g16])
    g2 = np.random.default_rng(19).integers(0, 4, (180, 270), dtype=np.uint8)
    files["grey2bit-270x180.png"] = png_bytes(270, 180, 2, 0, [pack_bits(r, 2) for r in g2])
    p4 = np.random.default_rng(20).integers(0, 16, (200, 230), dtype=np.uint8)
    palette = np.random.default_rng(21).integers(0, 256, 48, dtype=np.uint8)
    files["palette4bit-230x200.png"] = png_bytes(230, 200, 4, 3, [pack_bits(r, 4) for r in p4], palette=palette)
    # GIF, BMP, WebP
    save("gradient-300x200.gif", rgb(gradient(300, 200)).quantize(256), "GIF")
    frames = [rgb(edges(260, 280)).quantize(64), rgb(noise(260, 280, 22)).quantize(64)]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    files["animated-260x280.gif"] = buf.getvalue()
    files["offset-frame-300x220.gif"] = offset_frame_gif()
    save("photo-257x129.bmp", rgb(photo_like(257, 129, 23)), "BMP")
    save("palette-301x202.bmp", rgb(photo_like(301, 202, 24)).quantize(200), "BMP")
    save("photo-lossless-400x300.webp", rgb(photo_like(400, 300, 25)), "WEBP", lossless=True)
    save("photo-lossy-400x300.webp", rgb(photo_like(400, 300, 26)), "WEBP", quality=90)
    save("exif-orientation-8.webp", rgb(asymmetric(320, 240)), "WEBP", lossless=True, exif=exif_bytes(8))
    return files


# ---------------------------------------------------------------- the reference pipeline

def normalise_nchw(im):
    x = np.asarray(im, dtype=np.float32) / np.float32(255.0)
    x = (x - MEAN) / STD
    return np.ascontiguousarray(x.transpose(2, 0, 1), dtype="<f4")


def upright_rgb(path):
    with Image.open(path) as im:
        return ImageOps.exif_transpose(im).convert("RGB")


def reference_short_side(im):
    w, h = im.size
    short, long = (w, h) if w <= h else (h, w)
    if short != SHORT:
        new_long = int(SHORT * long / short)
        im = im.resize((SHORT, new_long) if w <= h else (new_long, SHORT), Image.BICUBIC)
    w, h = im.size
    top, left = (h - CROP) // 2, (w - CROP) // 2
    return normalise_nchw(im.crop((left, top, left + CROP, top + CROP)))


def reference_stretch(im):
    return normalise_nchw(im.resize((STRETCH_W, STRETCH_H), Image.BICUBIC))


STRETCH_ALSO = {"noise-333x517.png", "exif-orientation-6.jpg", "tiny-10x10.png", "shared-dog.jpg"}

HF_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hf-processors")
CLIP_MEAN, CLIP_STD = [0.48145466, 0.4578275, 0.40821073], [0.26862954, 0.26130258, 0.27577711]


def hf_configs():
    if not os.path.isdir(HF_DIR):
        return []
    return sorted((f, os.path.join(HF_DIR, f)) for f in os.listdir(HF_DIR)
                  if f.endswith(".json") and f != "resnet-50.json")


def hf_resize_short(im, short_target, resample):
    """transformers' get_resize_output_image_size(default_to_square=False): short side to the target, the long side
    int(target * long / short), then PIL's resize with the processor's filter."""
    w, h = im.size
    short, long = (w, h) if w <= h else (h, w)
    new_long = int(short_target * long / short)
    return im.resize((short_target, new_long) if w <= h else (new_long, short_target), resample)


def hf_center_crop(im, crop_h, crop_w):
    """transformers' center_crop: top = (H - h) // 2, left = (W - w) // 2 (no padding needed here)."""
    w, h = im.size
    top, left = (h - crop_h) // 2, (w - crop_w) // 2
    return im.crop((left, top, left + crop_w, top + crop_h))


def hf_square(size, key):
    if isinstance(size, int):
        return size
    return size[key]


def hf_reference(im, cfg):
    """One image through a processor configuration, as transformers documents the processor: resize (and crop) with
    PIL on 8-bit RGB, then float32: x * rescale_factor, then (x - mean) / std; NCHW."""
    kind = cfg.get("image_processor_type") or cfg.get("feature_extractor_type")
    kind = {"ConvNextFeatureExtractor": "ConvNextImageProcessor", "ViTFeatureExtractor": "ViTImageProcessor"}.get(kind, kind)
    if kind == "ConvNextImageProcessor":
        shortest = hf_square(cfg.get("size", {"shortest_edge": 384}), "shortest_edge")
        resample = cfg["resample"]  # no default: it changed between transformers versions (Argus refuses its absence)
        crop_pct = cfg.get("crop_pct") or 224 / 256
        if shortest < 384:
            im = hf_resize_short(im, int(shortest / crop_pct), resample)
            im = hf_center_crop(im, shortest, shortest)
        else:
            im = im.resize((shortest, shortest), resample)
        mean, std = [0.5] * 3, [0.5] * 3  # transformers' IMAGENET_STANDARD_MEAN / _STD
    elif kind == "ViTImageProcessor":
        size = cfg.get("size", {"height": 224, "width": 224})
        h, w = (size, size) if isinstance(size, int) else (size["height"], size["width"])
        im = im.resize((w, h), cfg.get("resample", Image.BILINEAR))
        mean, std = [0.5] * 3, [0.5] * 3
    elif kind == "BitImageProcessor":
        shortest = hf_square(cfg.get("size", {"shortest_edge": 224}), "shortest_edge")
        im = hf_resize_short(im, shortest, cfg.get("resample", Image.BICUBIC))
        crop = cfg.get("crop_size", {"height": 224, "width": 224})
        ch, cw = (crop, crop) if isinstance(crop, int) else (crop["height"], crop["width"])
        im = hf_center_crop(im, ch, cw)
        mean, std = CLIP_MEAN, CLIP_STD
    else:
        sys.exit(f"hf_reference: no reference for {kind}")
    x = np.asarray(im, dtype=np.float32)
    if cfg.get("do_rescale", True):
        x = (x.astype(np.float64) * cfg.get("rescale_factor", 1 / 255)).astype(np.float32)
    if cfg.get("do_normalize", True):
        m = np.array(cfg.get("image_mean", mean), dtype=np.float32)
        s = np.array(cfg.get("image_std", std), dtype=np.float32)
        x = (x - m) / s
    return np.ascontiguousarray(x.transpose(2, 0, 1), dtype="<f4")


def write_atomically(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def up_to_date(out_dir, stamp_path, stamp):
    """The stamp matches and every file the index names is still there."""
    index = os.path.join(out_dir, "index.tsv")
    if not (os.path.exists(stamp_path) and os.path.exists(index)):
        return False
    with open(stamp_path) as f:
        if f.read().strip() != stamp:
            return False
    with open(index) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            tensor, source = line.split("\t")[:2]
            if not os.path.exists(os.path.join(out_dir, tensor)) or not os.path.exists(os.path.join(out_dir, source)):
                return False
    return True


def main(argv):
    if len(argv) < 2 or len(argv) > 3:
        sys.exit(__doc__)
    out_dir = os.path.abspath(argv[1])
    shared_dir = os.path.abspath(argv[2]) if len(argv) == 3 else None
    shared = []
    if shared_dir and os.path.isdir(shared_dir):
        shared = sorted(os.path.join(shared_dir, f) for f in os.listdir(shared_dir) if f.lower().endswith(".jpg"))

    stamp = hashlib.sha256()
    with open(os.path.abspath(__file__), "rb") as f:
        stamp.update(f.read())
    stamp.update(PIL_VERSION.encode() + np.__version__.encode())
    for p in shared:
        st = os.stat(p)
        stamp.update(f"{p}:{st.st_size}:{st.st_mtime_ns}".encode())
    for name, p in hf_configs():
        stamp.update(name.encode())
        with open(p, "rb") as f:
            stamp.update(f.read())
    stamp = stamp.hexdigest()
    stamp_path = os.path.join(out_dir, "stamp")
    if up_to_date(out_dir, stamp_path, stamp):
        print(f"{out_dir}: up to date")
        return

    images_dir = os.path.join(out_dir, "images")
    os.makedirs(images_dir, exist_ok=True)
    sources = []
    for name, data in sorted(make_images(images_dir).items()):
        path = os.path.join(images_dir, name)
        write_atomically(path, data)
        sources.append((name, "images/" + name, path))
    for p in shared:
        sources.append(("shared-" + os.path.basename(p), p, p))

    rows = ["# file\tsource (relative to this directory, or absolute)\twidth\theight\tspec"
            "   (width x height after EXIF orientation; spec resnet50 = short side 256, crop 224;"
            f" stretch = resize to {STRETCH_W}x{STRETCH_H})"]
    for name, source, path in sources:
        im = upright_rgb(path)
        w, h = im.size
        write_atomically(os.path.join(out_dir, name + ".f32"), reference_short_side(im).tobytes())
        rows.append(f"{name}.f32\t{source}\t{w}\t{h}\tresnet50")
        if name in STRETCH_ALSO:
            write_atomically(os.path.join(out_dir, name + ".stretch.f32"), reference_stretch(im).tobytes())
            rows.append(f"{name}.stretch.f32\t{source}\t{w}\t{h}\tstretch")
        if name in STRETCH_ALSO or name.startswith("shared-"):
            for config_name, config_path in hf_configs():
                with open(config_path) as f:
                    cfg = json.load(f)
                tensor = f"{name}.hf-{config_name[:-5]}.f32"
                write_atomically(os.path.join(out_dir, tensor), hf_reference(im, cfg).tobytes())
                rows.append(f"{tensor}\t{source}\t{w}\t{h}\thf:{config_name}")
    write_atomically(os.path.join(out_dir, "index.tsv"), ("\n".join(rows) + "\n").encode())
    write_atomically(stamp_path, (stamp + "\n").encode())
    print(f"{out_dir}: {len(rows) - 1} reference tensors from {len(sources)} images (PIL {PIL_VERSION})")


if __name__ == "__main__":
    main(sys.argv)
