//! From the decoded picture to the upright web view and thumbnail. Resizing happens
//! before rotating (so only small images are rotated), with Lanczos3, never up.
//! The thumbnail is made from the web view, not from the original (tens of ms
//! instead of hundreds on a 24 MP photo, and the same look).

use fast_image_resize::{
    FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer,
    images::{Image, ImageRef},
};
use image::{DynamicImage, RgbaImage, metadata::Orientation};

use crate::{PipelineError, Pixels, Previews, THUMB_WIDTH, WEB_LONG_EDGE, colour::ToSrgb};

/// ThumbHash takes at most 100x100.
const PLACEHOLDER_EDGE: u32 = 100;

/// Scales (width, height) down so the longer edge is at most `edge`.
pub fn fit_long_edge(width: u32, height: u32, edge: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= edge {
        return (width, height);
    }
    let scale = f64::from(edge) / f64::from(long);
    let scaled = |side: u32| ((f64::from(side) * scale).round() as u32).clamp(1, edge);
    (scaled(width), scaled(height))
}

/// (width, height) for a thumbnail `THUMB_WIDTH` wide, or the same if narrower.
pub fn thumb_size(width: u32, height: u32) -> (u32, u32) {
    if width <= THUMB_WIDTH {
        return (width, height);
    }
    let height = (f64::from(height) * f64::from(THUMB_WIDTH) / f64::from(width)).round() as u32;
    (THUMB_WIDTH, height.max(1))
}

pub fn previews(image: &DynamicImage, orientation: u8) -> Result<Previews, PipelineError> {
    previews_in_srgb(image, orientation, None)
}

/// [`previews`] of a picture in its own colour space: the web view is
/// converted to sRGB (`to_srgb`) before the thumbnail is made from it.
pub fn previews_in_srgb(
    image: &DynamicImage,
    orientation: u8,
    to_srgb: Option<&ToSrgb>,
) -> Result<Previews, PipelineError> {
    let transposed = matches!(orientation, 5..=8);
    let (width, height) = (image.width(), image.height());
    let (upright_w, upright_h) = if transposed {
        (height, width)
    } else {
        (width, height)
    };
    let (web_w, web_h) = fit_long_edge(upright_w, upright_h, WEB_LONG_EDGE);
    let (stored_w, stored_h) = if transposed {
        (web_h, web_w)
    } else {
        (web_w, web_h)
    };

    let mut web = orient(resize_image(image, stored_w, stored_h)?, orientation);
    if let Some(to_srgb) = to_srgb {
        to_srgb.apply(&mut web);
    }
    let (thumb_w, thumb_h) = thumb_size(web.width, web.height);
    let thumb = resize_pixels(&web, thumb_w, thumb_h)?;
    let (small_w, small_h) = fit_long_edge(thumb.width, thumb.height, PLACEHOLDER_EDGE);
    let small = resize_pixels(&thumb, small_w, small_h)?;
    let placeholder =
        thumbhash::rgba_to_thumb_hash(small.width as usize, small.height as usize, &small.rgba);
    Ok(Previews {
        web,
        thumb,
        placeholder,
    })
}

fn resize_error(error: impl std::fmt::Display) -> PipelineError {
    PipelineError::Decode(format!("cannot resize: {error}"))
}

fn resize_raw(
    buffer: &[u8],
    (width, height): (u32, u32),
    pixel: PixelType,
    (to_w, to_h): (u32, u32),
) -> Result<Vec<u8>, PipelineError> {
    if (width, height) == (to_w, to_h) {
        return Ok(buffer.to_vec());
    }
    let source = ImageRef::new(width, height, buffer, pixel).map_err(resize_error)?;
    let mut target = Image::new(to_w, to_h, pixel);
    // Weighting colours by alpha (so a transparent pixel's colour does not
    // bleed into its neighbours) takes longer than the resizing itself: an
    // opaque picture, as every camera's is, skips it.
    let opaque = pixel != PixelType::U8x4 || is_opaque(buffer);
    let options = ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
        .use_alpha(!opaque);
    Resizer::new()
        .resize(&source, &mut target, &options)
        .map_err(resize_error)?;
    Ok(target.into_vec())
}

/// Whether every pixel of RGBA `rgba` is fully opaque: by blocks, each
/// folded whole (no early exit inside, so it vectorises).
fn is_opaque(rgba: &[u8]) -> bool {
    rgba.chunks(1 << 16).all(|block| {
        block
            .as_chunks::<4>()
            .0
            .iter()
            .fold(u8::MAX, |all, pixel| all & pixel[3])
            == u8::MAX
    })
}

/// Resizes in the picture's own layout (RGB photos stay 3 bytes a pixel: a 24 MP
/// JPEG is never expanded to RGBA), then returns RGBA.
fn resize_image(image: &DynamicImage, width: u32, height: u32) -> Result<Pixels, PipelineError> {
    let size = (image.width(), image.height());
    let rgba = match image {
        DynamicImage::ImageRgb8(rgb) => {
            let resized = resize_raw(rgb.as_raw(), size, PixelType::U8x3, (width, height))?;
            resized
                .as_chunks::<3>()
                .0
                .iter()
                .flat_map(|[r, g, b]| [*r, *g, *b, 255])
                .collect()
        }
        DynamicImage::ImageRgba8(rgba) => {
            resize_raw(rgba.as_raw(), size, PixelType::U8x4, (width, height))?
        }
        other => resize_raw(
            other.to_rgba8().as_raw(),
            size,
            PixelType::U8x4,
            (width, height),
        )?,
    };
    Ok(Pixels {
        width,
        height,
        rgba,
    })
}

fn resize_pixels(pixels: &Pixels, width: u32, height: u32) -> Result<Pixels, PipelineError> {
    let rgba = resize_raw(
        &pixels.rgba,
        (pixels.width, pixels.height),
        PixelType::U8x4,
        (width, height),
    )?;
    Ok(Pixels {
        width,
        height,
        rgba,
    })
}

fn orient(pixels: Pixels, orientation: u8) -> Pixels {
    let transform = Orientation::from_exif(orientation).unwrap_or(Orientation::NoTransforms);
    if transform == Orientation::NoTransforms {
        return pixels;
    }
    let Some(buffer) = RgbaImage::from_raw(pixels.width, pixels.height, pixels.rgba.clone()) else {
        return pixels;
    };
    let mut image = DynamicImage::ImageRgba8(buffer);
    image.apply_orientation(transform);
    Pixels {
        width: image.width(),
        height: image.height(),
        rgba: image.into_rgba8().into_raw(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_never_grow() {
        assert_eq!(fit_long_edge(6000, 4000, 2048), (2048, 1365));
        assert_eq!(fit_long_edge(4000, 6000, 2048), (1365, 2048));
        assert_eq!(fit_long_edge(100, 50, 2048), (100, 50));
        assert_eq!(fit_long_edge(30000, 1, 2048), (2048, 1));
        assert_eq!(thumb_size(2048, 1365), (400, 267));
        assert_eq!(thumb_size(1, 1), (1, 1));
    }

    #[test]
    fn browser_decoded_pixels_become_previews_and_bad_buffers_are_refused() {
        let previews =
            crate::previews_from_rgba(800, 600, vec![128; 800 * 600 * 4]).expect("previews");
        assert_eq!((previews.thumb.width, previews.thumb.height), (400, 300));
        assert!(crate::previews_from_rgba(800, 600, vec![0; 10]).is_err());
        assert!(crate::previews_from_rgba(0, 600, Vec::new()).is_err());
        assert!(matches!(
            crate::previews_from_rgba(20_000, 20_000, Vec::new()),
            Err(PipelineError::TooLarge { .. })
        ));
    }

    #[test]
    fn orientation_6_turns_a_wide_picture_upright() {
        // 4x2 red-left/blue-right; orientation 6 means "rotate 90° clockwise to view".
        let mut rgba = Vec::new();
        for _ in 0..2 {
            for x in 0..4 {
                rgba.extend_from_slice(if x < 2 {
                    &[255, 0, 0, 255]
                } else {
                    &[0, 0, 255, 255]
                });
            }
        }
        let image = DynamicImage::ImageRgba8(RgbaImage::from_raw(4, 2, rgba).expect("buffer"));
        let previews = previews(&image, 6).expect("previews");
        assert_eq!((previews.web.width, previews.web.height), (2, 4));
        // After a clockwise turn, the left (red) half is on top.
        assert_eq!(&previews.web.rgba[0..4], &[255, 0, 0, 255]);
        assert!(!previews.placeholder.is_empty());
    }
}
