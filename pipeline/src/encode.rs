//! Encoders that need no browser. The browser path encodes WebP with the browser's
//! own encoder; JPEG here is the fallback where WebP cannot be made.

use image::{ExtendedColorType, codecs::jpeg::JpegEncoder};

use crate::{PipelineError, Pixels};

/// JPEG at `quality` (1–100); transparency is flattened onto white.
pub fn jpeg(pixels: &Pixels, quality: u8) -> Result<Vec<u8>, PipelineError> {
    let rgb: Vec<u8> = pixels
        .rgba
        .as_chunks::<4>()
        .0
        .iter()
        .flat_map(|p| {
            let alpha = u16::from(p[3]);
            let over_white = |c: u8| ((u16::from(c) * alpha + 255 * (255 - alpha)) / 255) as u8;
            [over_white(p[0]), over_white(p[1]), over_white(p[2])]
        })
        .collect();
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode(&rgb, pixels.width, pixels.height, ExtendedColorType::Rgb8)
        .map_err(|error| PipelineError::Decode(format!("cannot encode: {error}")))?;
    Ok(out)
}
