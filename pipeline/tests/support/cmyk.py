"""A CMYK JPEG as print workflows write them, and its reference in sRGB.

Usage: cmyk.py PHOTO CMYK_PROFILE.icc OUT_DIR

Writes, from PHOTO scaled to 480x320 and separated into CMYK through
CMYK_PROFILE.icc by littleCMS (Pillow's ImageCms):
  cmyk.jpg            quality 100, the CMYK profile in APP2 (Adobe APP14)
  srgb_reference.png  cmyk.jpg as Pillow decodes it, converted to sRGB through
                      its profile, relative colorimetric (as the P3 reference
                      is): what the previews must look like
  unmanaged.png       cmyk.jpg's numbers turned to RGB without the profile
                      (Pillow's plain conversion): what a decoder without
                      colour management shows
"""
import io
import sys

from PIL import Image, ImageCms

photo, profile_path, out = sys.argv[1], sys.argv[2], sys.argv[3]
icc = open(profile_path, "rb").read()
cmyk_profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
srgb = ImageCms.createProfile("sRGB")
picture = Image.open(photo).convert("RGB").resize((480, 320), Image.LANCZOS)
separated = ImageCms.profileToProfile(
    picture, srgb, cmyk_profile,
    renderingIntent=ImageCms.Intent.PERCEPTUAL, outputMode="CMYK",
)
separated.save(f"{out}/cmyk.jpg", quality=100, icc_profile=icc)
decoded = Image.open(f"{out}/cmyk.jpg")
decoded.load()
ImageCms.profileToProfile(
    decoded, cmyk_profile, srgb,
    renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC, outputMode="RGB",
).save(f"{out}/srgb_reference.png")
decoded.convert("RGB").save(f"{out}/unmanaged.png")
