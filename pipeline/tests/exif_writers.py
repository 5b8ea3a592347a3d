"""JPEGs with EXIF as common tools write it, for pipeline/tests/exif_writers.rs.

Usage: exif_writers.py OUT_DIR

Writes a 480x320 picture (a landscape frame whose top-left is red) as
  plain.jpg    no metadata at all
  piexif.jpg   EXIF inserted by piexif (its Exif sub-IFD has no next-IFD
               offset): orientation 6, taken 2019:08:01 14:30:00, a place
  pillow.jpg   the same EXIF written by Pillow's own writer
"""
import sys

import piexif
from PIL import Image

out = sys.argv[1]
picture = Image.new("RGB", (480, 320), (40, 90, 200))
picture.paste((220, 30, 30), (0, 0, 120, 80))
picture.save(f"{out}/plain.jpg", quality=90)


def rational(value, scale=10000):
    return (int(round(value * scale)), scale)


def dms(degrees):
    whole = int(degrees)
    minutes = int((degrees - whole) * 60)
    seconds = (degrees - whole - minutes / 60) * 3600
    return ((whole, 1), (minutes, 1), rational(seconds, 1000))


exif = {
    "0th": {piexif.ImageIFD.Orientation: 6, piexif.ImageIFD.Make: b"Tester", piexif.ImageIFD.Model: b"Writer 1"},
    "Exif": {piexif.ExifIFD.DateTimeOriginal: b"2019:08:01 14:30:00"},
    "GPS": {
        piexif.GPSIFD.GPSLatitudeRef: b"N",
        piexif.GPSIFD.GPSLatitude: dms(48.8577),
        piexif.GPSIFD.GPSLongitudeRef: b"E",
        piexif.GPSIFD.GPSLongitude: dms(2.2950),
    },
}
picture.save(f"{out}/piexif.jpg", quality=90)
piexif.insert(piexif.dump(exif), f"{out}/piexif.jpg")

pillow = Image.Exif()
pillow[0x0112] = 6  # Orientation
pillow[0x010F] = "Tester"  # Make
pillow[0x0110] = "Writer 1"  # Model
pillow[0x8769] = {0x9003: "2019:08:01 14:30:00"}  # Exif IFD: DateTimeOriginal
# Pillow writes rationals from numbers: degrees, minutes, seconds.
as_numbers = lambda parts: tuple(n / d for n, d in parts)  # noqa: E731
pillow[0x8825] = {1: "N", 2: as_numbers(dms(48.8577)), 3: "E", 4: as_numbers(dms(2.2950))}  # GPS IFD
picture.save(f"{out}/pillow.jpg", quality=90, exif=pillow)
