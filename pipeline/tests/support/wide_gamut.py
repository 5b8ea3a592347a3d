"""Wide-gamut test pictures and their reference conversion to sRGB.

Usage: wide_gamut.py PROFILE.icc OUT_DIR

Writes, from one 480x320 field of colours (red across, green down, blue
along the diagonal: its corners are the most saturated colours the profile
holds, where it differs most from sRGB), tagged with PROFILE.icc:
  wide.png            lossless, the profile in iCCP
  wide.jpg            quality 100, 4:4:4, the profile in APP2
and, untagged:
  srgb_reference.png  the field converted to sRGB by littleCMS (Pillow's
                      ImageCms), relative colorimetric: what the previews
                      must look like
  unconverted.png     the same numbers shown as sRGB: the washed-out look
"""
import io
import sys

from PIL import Image, ImageCms

profile_path, out = sys.argv[1], sys.argv[2]
icc = open(profile_path, "rb").read()
width, height = 480, 320
field = Image.new("RGB", (width, height))
field.putdata([
    (x * 255 // (width - 1), y * 255 // (height - 1), (x + y) * 255 // (width + height - 2))
    for y in range(height)
    for x in range(width)
])
field.save(f"{out}/wide.png", icc_profile=icc)
field.save(f"{out}/wide.jpg", quality=100, subsampling=0, icc_profile=icc)
field.save(f"{out}/unconverted.png")
reference = ImageCms.profileToProfile(
    field,
    ImageCms.ImageCmsProfile(io.BytesIO(icc)),
    ImageCms.createProfile("sRGB"),
    renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
    outputMode="RGB",
)
reference.save(f"{out}/srgb_reference.png")
