//! Decoding within a budget: the dimensions are read from the header first, and a
//! picture that declares more than [`MAX_PIXELS`] (or none) is refused before any
//! pixel memory is allocated. A 186-byte file declaring 65535x65535 costs nothing.

use std::io::Cursor;

use image::{DynamicImage, ImageReader, Limits};

use crate::{PipelineError, sniff::Format};

/// 200 MP: beyond any camera a family owns; 800 MB as RGBA.
pub const MAX_PIXELS: u64 = 200_000_000;

pub fn decode(bytes: &[u8], format: Format) -> Result<DynamicImage, PipelineError> {
    let image_format = format.image_format().ok_or(PipelineError::UnknownFormat)?;
    let reader = || ImageReader::with_format(Cursor::new(bytes), image_format);
    let (width, height) = reader()
        .into_dimensions()
        .map_err(|error| PipelineError::Decode(error.to_string()))?;
    if width == 0 || height == 0 {
        return Err(PipelineError::NoPixels { width, height });
    }
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PipelineError::TooLarge { width, height });
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(width);
    limits.max_image_height = Some(height);
    // Room for the largest pixel type (16-bit RGBA) plus the decoder's own buffers.
    limits.max_alloc = Some(u64::from(width) * u64::from(height) * 8 + 64 * 1024 * 1024);
    let mut reader = reader();
    reader.limits(limits);
    reader
        .decode()
        .map_err(|error| PipelineError::Decode(error.to_string()))
}
