//! HEIC/HEIF decoded in Rust ([`heifer`]), for the browsers that cannot decode
//! it themselves (all but Safari). The worker tries the browser's decoder first
//! and loads this (as the `pipeline-heic` wasm) only when that fails.
//!
//! The picture comes out upright and cropped (`irot`, `imir` and `clap` are
//! the container's, and win over the EXIF orientation, which iPhones keep only
//! as a record), and in sRGB: an iPhone's Display P3 is converted from its ICC
//! profile (or `nclx`), so it does not look washed out. A picture declaring more
//! than [`MAX_PIXELS`] (a grid of a thousand tiles) is refused before its pixels
//! are allocated.

use image::{DynamicImage, RgbaImage};

use heifer::{Image, heifer_isobmff::HeifFile};

use crate::{MAX_PIXELS, PipelineError, Previews, colour::ToSrgb, resize};

/// A HEIC's previews, and its size upright.
#[derive(Debug)]
pub struct Decoded {
    pub previews: Previews,
    pub width: u32,
    pub height: u32,
}

/// The previews of a HEIC/HEIF, or why it cannot be decoded.
pub fn previews(bytes: &[u8]) -> Result<Decoded, PipelineError> {
    let options = heifer::Options {
        // No threads in a wasm worker; the pool runs one file per worker.
        max_threads: 1,
        max_pixels: MAX_PIXELS,
    };
    let file = HeifFile::parse(bytes).map_err(|error| decode_error(error.into()))?;
    let icc = file
        .icc_profile(file.primary_id)
        .map_err(|error| decode_error(error.into()))?;
    // With an ICC profile (every iPhone's): decoded as coded, and only the web
    // view converted, as for a JPEG ([`ToSrgb`]); converting all 12 MP took
    // longer than decoding them. Otherwise heifer converts from the `nclx` or
    // the stream's own colour description.
    let (image, to_srgb) = match icc {
        Some(icc) => (
            heifer::decode_rgba8(bytes, &options).map_err(decode_error)?,
            ToSrgb::from_icc(icc),
        ),
        None => (decode_in_srgb(bytes, &options)?, None),
    };
    let (width, height) = (image.width, image.height);
    if width == 0 || height == 0 {
        return Err(PipelineError::NoPixels { width, height });
    }
    let pixels = RgbaImage::from_raw(width, height, image.data).ok_or_else(|| {
        PipelineError::Decode("the decoded pixels do not match their size".into())
    })?;
    let previews =
        resize::previews_in_srgb(&DynamicImage::ImageRgba8(pixels), 1, to_srgb.as_ref())?;
    Ok(Decoded {
        previews,
        width,
        height,
    })
}

/// The whole picture converted to sRGB by heifer, from its `nclx` or its
/// stream's colour description.
fn decode_in_srgb(bytes: &[u8], options: &heifer::Options) -> Result<Image<u8>, PipelineError> {
    match heifer::decode_srgb_rgba8(bytes, options) {
        Ok(image) => Ok(image),
        // An HDR (PQ/HLG) picture has no sRGB conversion here: shown as coded,
        // which is what a browser without HDR shows too.
        Err(heifer::Error::Unsupported(_)) => {
            heifer::decode_rgba8(bytes, options).map_err(decode_error)
        }
        Err(error) => Err(decode_error(error)),
    }
}

fn decode_error(error: heifer::Error) -> PipelineError {
    PipelineError::Decode(error.to_string())
}
