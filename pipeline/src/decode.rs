//! Decoding within a budget: the dimensions are read from the header first, and a
//! picture that declares more than [`MAX_PIXELS`] (or none) is refused before any
//! pixel memory is allocated. A 186-byte file declaring 65535x65535 costs nothing.

use std::io::Cursor;

use image::{DynamicImage, GrayImage, ImageBuffer, ImageReader, Limits, Luma, Rgb, RgbImage};

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

/// A JPEG decoded at the smallest of 1/1, 1/2, 1/4 or 1/8 scale that still covers
/// `at_least` (width, height): for a 24 MP photo and a 2048 px web view, a quarter
/// of the pixels and of the work. `None` where the scaled decoder cannot help
/// (CMYK, 16-bit, a damaged file): the caller then decodes at full size, which
/// also salvages truncated files.
pub fn decode_jpeg_scaled(bytes: &[u8], at_least: (u32, u32)) -> Option<DynamicImage> {
    decode_with_jpeg_decoder(bytes, Some(at_least))
}

/// A JPEG the main decoder refuses that `jpeg-decoder` reads: lossless ones
/// (SOF3, 8 to 16 bits), as scanners and medical and astronomy cameras write.
pub fn decode_jpeg_lossless(bytes: &[u8]) -> Option<DynamicImage> {
    decode_with_jpeg_decoder(bytes, None)
}

/// A 12-bit lossy JPEG (extended or progressive at 12 bits, as some
/// scientific and a few camera pipelines write): no other decoder here, nor
/// any browser, reads one. Greyscale or colour (RGB from YCbCr), as 16-bit
/// samples so nothing of the 12 bits is lost before the resize; anything else
/// (CMYK) is declined. The budget is checked against the header first.
pub fn decode_jpeg_12bit(bytes: &[u8]) -> Option<DynamicImage> {
    let limits = libjpeg_turbo_rs::DecodeLimits {
        max_pixels: MAX_PIXELS,
        // Its planes and the result, two bytes a sample: within the worker's
        // memory (some 50 MP of colour), checked before they are allocated.
        max_memory: Some(1 << 30),
        ..Default::default()
    };
    let image = libjpeg_turbo_rs::decompress_12bit_with_limits(bytes, &limits).ok()?;
    let (width, height) = (
        u32::try_from(image.width).ok()?,
        u32::try_from(image.height).ok()?,
    );
    // 0..=4095 onto 0..=65535.
    let samples: Vec<u16> = image
        .data
        .iter()
        .map(|&sample| (u32::from(sample.clamp(0, 4095).unsigned_abs()) * 65_535 / 4_095) as u16)
        .collect();
    match image.num_components {
        1 => ImageBuffer::<Luma<u16>, Vec<u16>>::from_raw(width, height, samples)
            .map(DynamicImage::ImageLuma16),
        3 => ImageBuffer::<Rgb<u16>, Vec<u16>>::from_raw(width, height, samples)
            .map(DynamicImage::ImageRgb16),
        _ => None,
    }
}

/// A TIFF `image` refuses for its colour type that `tiff` reads: YCbCr,
/// JPEG-compressed (as scanners and some cameras' TIFFs are), with its samples
/// turned to RGB here (`tiff` leaves them as coded).
pub fn decode_ycbcr_tiff(bytes: &[u8]) -> Option<DynamicImage> {
    let mut decoder = tiff::decoder::Decoder::new(Cursor::new(bytes)).ok()?;
    let (width, height) = decoder.dimensions().ok()?;
    if width == 0 || height == 0 || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return None;
    }
    if decoder.colortype().ok()? != tiff::ColorType::YCbCr(8) {
        return None;
    }
    let mut limits = tiff::decoder::Limits::default();
    limits.decoding_buffer_size = usize::try_from(u64::from(width) * u64::from(height) * 3).ok()?;
    let tiff::decoder::DecodingResult::U8(mut samples) =
        decoder.with_limits(limits).read_image().ok()?
    else {
        return None;
    };
    for pixel in samples.as_chunks_mut::<3>().0 {
        *pixel = ycbcr_to_rgb(*pixel);
    }
    RgbImage::from_raw(width, height, samples).map(DynamicImage::ImageRgb8)
}

/// JPEG's YCbCr (BT.601 weights, full range: TIFF's defaults for JPEG
/// compression) to RGB.
fn ycbcr_to_rgb([y, cb, cr]: [u8; 3]) -> [u8; 3] {
    let (y, cb, cr) = (f32::from(y), f32::from(cb) - 128.0, f32::from(cr) - 128.0);
    let channel = |value: f32| value.round().clamp(0.0, 255.0) as u8;
    [
        channel(y + 1.402 * cr),
        channel(y - 0.344_136 * cb - 0.714_136 * cr),
        channel(y + 1.772 * cb),
    ]
}

fn decode_with_jpeg_decoder(bytes: &[u8], at_least: Option<(u32, u32)>) -> Option<DynamicImage> {
    let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    decoder.read_info().ok()?;
    let info = decoder.info()?;
    let (mut width, mut height) = (info.width, info.height);
    if width == 0 || height == 0 || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return None;
    }
    // Its CMYK is not turned to RGB here: declined before decoding, not after.
    if info.pixel_format == jpeg_decoder::PixelFormat::CMYK32 {
        return None;
    }
    if let Some((at_least_w, at_least_h)) = at_least {
        let request = |side: u32| u16::try_from(side.max(1)).unwrap_or(u16::MAX);
        (width, height) = decoder
            .scale(request(at_least_w), request(at_least_h))
            .ok()?;
    }
    let pixels = decoder.decode().ok()?;
    let (width, height) = (u32::from(width), u32::from(height));
    match decoder.info()?.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => {
            RgbImage::from_raw(width, height, pixels).map(DynamicImage::ImageRgb8)
        }
        jpeg_decoder::PixelFormat::L8 => {
            GrayImage::from_raw(width, height, pixels).map(DynamicImage::ImageLuma8)
        }
        // Native-endian samples.
        jpeg_decoder::PixelFormat::L16 => {
            let samples = pixels
                .as_chunks::<2>()
                .0
                .iter()
                .map(|pair| u16::from_ne_bytes(*pair))
                .collect();
            ImageBuffer::<Luma<u16>, Vec<u16>>::from_raw(width, height, samples)
                .map(DynamicImage::ImageLuma16)
        }
        jpeg_decoder::PixelFormat::CMYK32 => None,
    }
}

#[cfg(test)]
mod tests {
    use super::ycbcr_to_rgb;

    #[test]
    fn ycbcr_greys_stay_grey_and_the_primaries_come_back() {
        assert_eq!(ycbcr_to_rgb([0, 128, 128]), [0, 0, 0]);
        assert_eq!(ycbcr_to_rgb([128, 128, 128]), [128, 128, 128]);
        assert_eq!(ycbcr_to_rgb([255, 128, 128]), [255, 255, 255]);
        // Pure red, green and blue as JPEG codes them (to within rounding).
        let near =
            |got: [u8; 3], want: [u8; 3]| got.iter().zip(want).all(|(a, b)| a.abs_diff(b) <= 2);
        assert!(near(ycbcr_to_rgb([76, 85, 255]), [255, 0, 0]));
        assert!(near(ycbcr_to_rgb([150, 44, 21]), [0, 255, 0]));
        assert!(near(ycbcr_to_rgb([29, 255, 107]), [0, 0, 255]));
    }
}
