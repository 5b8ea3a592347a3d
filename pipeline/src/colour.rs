//! Colour: previews are sRGB, which is what every browser shows an untagged
//! picture as. A picture that carries its own ICC profile (an iPhone's Display
//! P3 JPEG, a camera's Adobe RGB, a wide-gamut PNG or WebP) has its web view
//! converted to sRGB with `moxcms`, before the thumbnail is made from it, so it
//! does not look washed out next to the original. Only the small web view is
//! converted, never the full-size pixels.
//!
//! A profile that is already sRGB (by its primaries) is left alone. One that cannot be read, or
//! whose input is not RGB or CMYK (grey), leaves the pixels as decoded, which is
//! what a browser without colour management would show.
//!
//! A CMYK JPEG with a CMYK profile (as print work is saved) is decoded to its
//! ink values and converted through that profile to sRGB whole
//! ([`cmyk_jpeg_in_srgb`]): turned to RGB without it, its colours are far off.

use std::{io::Cursor, sync::Arc};

use image::{DynamicImage, ImageDecoder, ImageReader, RgbaImage};
use moxcms::{ColorProfile, DataColorSpace, Layout, TransformExecutor, TransformOptions};

use crate::{Format, MAX_PIXELS, Pixels};

/// A conversion from a picture's own RGB colour space to sRGB.
pub struct ToSrgb(Arc<dyn TransformExecutor<u8> + Send + Sync>);

impl std::fmt::Debug for ToSrgb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ToSrgb")
    }
}

impl ToSrgb {
    /// The conversion for the picture in `bytes`: `None` without a profile,
    /// with an sRGB one, or with one that is not usable here.
    pub fn for_picture(bytes: &[u8], format: Format) -> Option<ToSrgb> {
        ToSrgb::from_icc(&icc_profile(bytes, format)?)
    }

    /// The conversion from an ICC profile's RGB space to sRGB: `None` for an
    /// sRGB profile, and for one that cannot be read or is not RGB.
    pub fn from_icc(icc: &[u8]) -> Option<ToSrgb> {
        let profile = ColorProfile::new_from_slice(icc).ok()?;
        if profile.color_space != DataColorSpace::Rgb || is_srgb(&profile) {
            return None;
        }
        let transform = profile
            .create_transform_8bit(
                Layout::Rgba,
                &ColorProfile::new_srgb(),
                Layout::Rgba,
                TransformOptions::default(),
            )
            .ok()?;
        Some(ToSrgb(transform))
    }

    /// Converts `pixels` (RGBA) in place; alpha is kept.
    pub fn apply(&self, pixels: &mut Pixels) {
        let mut converted = vec![0; pixels.rgba.len()];
        if self.0.transform(&pixels.rgba, &mut converted).is_ok() {
            pixels.rgba = converted;
        }
    }
}

/// A CMYK JPEG that carries a CMYK profile, decoded and converted through it
/// to sRGB; `None` for any other JPEG (the usual decoding applies, and a CMYK
/// one without a profile is turned to RGB as browsers do).
pub fn cmyk_jpeg_in_srgb(bytes: &[u8]) -> Option<DynamicImage> {
    let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    decoder.read_info().ok()?;
    let info = decoder.info()?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    if info.pixel_format != jpeg_decoder::PixelFormat::CMYK32
        || u64::from(width) * u64::from(height) > MAX_PIXELS
    {
        return None;
    }
    let profile = ColorProfile::new_from_slice(&icc_profile(bytes, Format::Jpeg)?).ok()?;
    if profile.color_space != DataColorSpace::Cmyk {
        return None;
    }
    // Relative colorimetric, as for RGB profiles: paper white to sRGB white,
    // and the colours within both gamuts as they are.
    let options = TransformOptions {
        rendering_intent: moxcms::RenderingIntent::RelativeColorimetric,
        ..TransformOptions::default()
    };
    let transform = profile
        .create_transform_8bit(
            Layout::Rgba,
            &ColorProfile::new_srgb(),
            Layout::Rgba,
            options,
        )
        .ok()?;
    let inks = decoder.decode().ok()?;
    let mut rgba = vec![0; inks.len()];
    transform.transform(&inks, &mut rgba).ok()?;
    for pixel in rgba.as_chunks_mut::<4>().0 {
        pixel[3] = u8::MAX;
    }
    RgbaImage::from_raw(width, height, rgba).map(DynamicImage::ImageRgba8)
}

/// The ICC profile a JPEG (APP2), PNG (iCCP), WebP (ICCP) or TIFF carries.
pub fn icc_profile(bytes: &[u8], format: Format) -> Option<Vec<u8>> {
    let image_format = match format {
        Format::Jpeg | Format::Png | Format::Webp | Format::Tiff => format.image_format()?,
        _ => return None,
    };
    let mut decoder = ImageReader::with_format(Cursor::new(bytes), image_format)
        .into_decoder()
        .ok()?;
    decoder.icc_profile().ok().flatten()
}

/// Whether `profile` describes sRGB: its primaries those of sRGB, to a
/// thousandth. Its tone curves are not compared: real sRGB profiles carry
/// them as tables of many sizes, and a profile with sRGB primaries and
/// another curve is rare and differs from sRGB far less than a wide gamut does.
fn is_srgb(profile: &ColorProfile) -> bool {
    let srgb = ColorProfile::new_srgb();
    let close = |a: &moxcms::Xyzd, b: &moxcms::Xyzd| {
        (a.x - b.x).abs() < 1e-3 && (a.y - b.y).abs() < 1e-3 && (a.z - b.z).abs() < 1e-3
    };
    close(&profile.red_colorant, &srgb.red_colorant)
        && close(&profile.green_colorant, &srgb.green_colorant)
        && close(&profile.blue_colorant, &srgb.blue_colorant)
}
