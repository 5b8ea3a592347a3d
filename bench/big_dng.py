"""A bigger DNG for `bench/raw.mjs`: the corpus's 1888×1182 DNG (uncompressed,
14-bit, a Bayer mosaic) tiled N×N, its other IFD0 tags copied, the active
area and default crop dropped (the tiles' masked borders are inside now; the
develop's cost is per pixel all the same).

usage: big_dng.py SOURCE.dng N OUT.dng
"""
import struct
import sys

SOURCE, TIMES, OUT = sys.argv[1], int(sys.argv[2]), sys.argv[3]
TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8}
DROPPED = {0x8769, 0xC61F, 0xC620, 0xC68D}  # Exif IFD, DefaultCrop*, ActiveArea
WIDTH, HEIGHT, STRIP_OFFSETS, ROWS_PER_STRIP, STRIP_BYTES = 0x100, 0x101, 0x111, 0x116, 0x117

data = open(SOURCE, "rb").read()
assert data[:4] == b"II*\0", "a little-endian TIFF"
(ifd,) = struct.unpack_from("<I", data, 4)
(count,) = struct.unpack_from("<H", data, ifd)
entries = {}
for index in range(count):
    tag, kind, n, value = struct.unpack_from("<HHI4s", data, ifd + 2 + 12 * index)
    size = TYPE_SIZES[kind] * n
    if size > 4:
        (offset,) = struct.unpack_from("<I", value)
        value = data[offset:offset + size]
    entries[tag] = (kind, n, value[:size])


def number(tag):
    kind, _, value = entries[tag]
    return struct.unpack_from("<H" if kind == 3 else "<I", value)[0]


width, height = number(WIDTH), number(HEIGHT)
offset, length = number(STRIP_OFFSETS), number(STRIP_BYTES)
row_bytes = length // height
assert row_bytes * height == length and (width * 14) % 8 == 0, "packed 14-bit rows on byte boundaries"
rows = [data[offset + row * row_bytes: offset + (row + 1) * row_bytes] for row in range(height)]
pixels = b"".join(row * TIMES for row in rows) * TIMES

big_width, big_height = width * TIMES, height * TIMES
for tag in DROPPED:
    entries.pop(tag, None)
entries[WIDTH] = (4, 1, struct.pack("<I", big_width))
entries[HEIGHT] = (4, 1, struct.pack("<I", big_height))
entries[ROWS_PER_STRIP] = (4, 1, struct.pack("<I", big_height))
entries[STRIP_BYTES] = (4, 1, struct.pack("<I", len(pixels)))
entries[STRIP_OFFSETS] = (4, 1, b"\0\0\0\0")  # filled in below

tags = sorted(entries)
ifd_size = 2 + 12 * len(tags) + 4
extra = bytearray()
extra_at = 8 + ifd_size
pointers = {}
for tag in tags:
    value = entries[tag][2]
    if len(value) > 4:
        pointers[tag] = extra_at + len(extra)
        extra += value + (b"\0" if len(value) % 2 else b"")
pixels_at = extra_at + len(extra)
entries[STRIP_OFFSETS] = (4, 1, struct.pack("<I", pixels_at))

out = bytearray(b"II*\0" + struct.pack("<I", 8) + struct.pack("<H", len(tags)))
for tag in tags:
    kind, n, value = entries[tag]
    field = struct.pack("<I", pointers[tag]) if tag in pointers else value.ljust(4, b"\0")
    out += struct.pack("<HHI", tag, kind, n) + field
out += struct.pack("<I", 0) + extra + pixels
open(OUT, "wb").write(out)
