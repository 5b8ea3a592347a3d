//! The photo pipeline: what the browser does to each photo before upload, as pure
//! Rust so it runs in a Web Worker (wasm) and natively in tests alike.
//!
//! `process(bytes)`: [`sniff`] the format from the bytes (never the name) →
//! [`metadata`] from EXIF → [`decode`] within a pixel budget (camera RAW: its
//! embedded JPEG, see [`raw`]) → resize the web view (long edge ≤ 2048) and the
//! thumbnail (400 px wide, from the web view) with Lanczos3 ([`resize`]) → apply
//! the EXIF orientation to the small images only, and an embedded ICC profile
//! ([`colour`]: the previews are sRGB) → a ThumbHash placeholder.
//! The result is pixels: encoding them (the browser's WebP encoder, or
//! [`encode::jpeg`] where that is missing) is the caller's.
//!
//! The original is never changed: its SHA-256 is the photo's id ([`photo_id`]).

pub mod colour;
pub mod decode;
pub mod encode;
#[cfg(feature = "heic")]
pub mod heic;
pub mod metadata;
pub mod motion;
pub mod raw;
pub mod resize;
pub mod sniff;
pub mod video;

use serde::Serialize;
use sha2::{Digest, Sha256};

pub use decode::MAX_PIXELS;
pub use metadata::Metadata;
pub use sniff::Format;

/// The web view's longest edge.
pub const WEB_LONG_EDGE: u32 = 2048;
/// The thumbnail's width.
pub const THUMB_WIDTH: u32 = 400;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PipelineError {
    #[error("the file is empty")]
    Empty,
    #[error("not a picture this app knows")]
    UnknownFormat,
    /// Videos are kept as they are; their details come from the container
    /// ([`video`]), not from this photo pipeline.
    #[error("a video, which this version does not back up yet")]
    Video,
    #[error("the picture declares {width}x{height} pixels, more than the {MAX_PIXELS}-pixel limit")]
    TooLarge { width: u32, height: u32 },
    #[error("the picture declares no pixels ({width}x{height})")]
    NoPixels { width: u32, height: u32 },
    #[error("the picture cannot be decoded: {0}")]
    Decode(String),
}

/// Straight (not premultiplied) RGBA pixels, row by row.
#[derive(Clone, PartialEq, Eq)]
pub struct Pixels {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

impl std::fmt::Debug for Pixels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pixels({}x{})", self.width, self.height)
    }
}

/// What the browser uploads besides the original.
#[derive(Debug, Clone)]
pub struct Previews {
    pub web: Pixels,
    pub thumb: Pixels,
    /// A ThumbHash: a ~25-byte blurry placeholder shown before the thumbnail loads.
    pub placeholder: Vec<u8>,
}

/// Why a photo that is kept has no preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoPreview {
    /// HEIC/HEIF/AVIF: only the browser's own decoder (Safari) can make one.
    NeedsBrowserDecoder,
    /// Camera RAW without an embedded JPEG, whose sensor data could not be
    /// developed either.
    RawWithoutPreview,
}

#[derive(Debug, Clone)]
pub struct Processed {
    pub format: Format,
    pub metadata: Metadata,
    /// The original's size, upright (orientation applied), when it could be read:
    /// not for HEIC/AVIF, nor for RAW (its preview is not the sensor's size).
    pub size: Option<(u32, u32)>,
    /// Either the previews, or why there are none (the original is still kept).
    pub previews: Result<Previews, NoPreview>,
    /// A motion photo's clip ([`motion`]).
    pub motion: Option<api_types::photo::MotionVideo>,
    /// A camera RAW whose embedded preview is missing or smaller than the web
    /// view: its sensor data is worth developing (`raw::develop`, in the
    /// lazily loaded `pipeline-raw`), and the bigger of the two kept.
    pub develop: bool,
}

/// A JPEG at the smallest scale that still makes a full-quality web view; at full
/// size where that cannot be done.
fn decode_jpeg(bytes: &[u8]) -> Result<image::DynamicImage, PipelineError> {
    let header = raw::jpeg_dimensions(bytes);
    if let Some((width, height)) = header
        && u64::from(width) * u64::from(height) <= MAX_PIXELS
        && let Some(image) =
            decode::decode_jpeg_scaled(bytes, resize::fit_long_edge(width, height, WEB_LONG_EDGE))
    {
        return Ok(image);
    }
    // Only a JPEG the scaled decoder declined (CMYK among them) is looked at
    // for a CMYK profile: the common JPEG never pays for it.
    if let Some(image) = colour::cmyk_jpeg_in_srgb(bytes) {
        return Ok(image);
    }
    decode::decode(bytes, Format::Jpeg).or_else(|error| {
        decode::decode_jpeg_lossless(bytes)
            .or_else(|| decode::decode_jpeg_12bit(bytes))
            .ok_or(error)
    })
}

/// A RAW's embedded JPEG; failing that, a TIFF-based RAW's first image (often a
/// small RGB preview). A preview that cannot be decoded is no preview: the RAW is
/// still kept.
fn raw_preview(bytes: &[u8], format: Format) -> Option<image::DynamicImage> {
    raw::embedded_preview(bytes)
        .and_then(|jpeg| decode::decode(jpeg, Format::Jpeg).ok())
        .or_else(|| {
            (format == Format::TiffRaw)
                .then(|| decode::decode(bytes, Format::Tiff).ok())
                .flatten()
        })
}

/// Previews from pixels the browser decoded itself (HEIC in Safari, through
/// `createImageBitmap` with `imageOrientation: "from-image"`, so already upright).
pub fn previews_from_rgba(
    width: u32,
    height: u32,
    rgba: Vec<u8>,
) -> Result<Previews, PipelineError> {
    if width == 0 || height == 0 {
        return Err(PipelineError::NoPixels { width, height });
    }
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PipelineError::TooLarge { width, height });
    }
    let image = image::RgbaImage::from_raw(width, height, rgba)
        .ok_or_else(|| PipelineError::Decode("the pixel buffer does not match its size".into()))?;
    resize::previews(&image::DynamicImage::ImageRgba8(image), 1)
}

/// Lowercase hex SHA-256 of the original's bytes.
pub fn photo_id(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// Everything the app needs from one photo file.
pub fn process(bytes: &[u8]) -> Result<Processed, PipelineError> {
    process_observed(bytes, |_| {})
}

/// A step of [`process`], reported as it ends (for timings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Metadata,
    Decode,
    Resize,
}

/// [`process`], calling `done` as each [`Stage`] ends.
pub fn process_observed(
    bytes: &[u8],
    mut done: impl FnMut(Stage),
) -> Result<Processed, PipelineError> {
    if bytes.is_empty() {
        return Err(PipelineError::Empty);
    }
    let format = sniff::sniff(bytes);
    let metadata = metadata::read(bytes);
    done(Stage::Metadata);
    let decoded = match format {
        Format::Unknown => return Err(PipelineError::UnknownFormat),
        format if format.is_video() => return Err(PipelineError::Video),
        Format::Heif | Format::Avif => None,
        format if format.is_raw() => raw_preview(bytes, format),
        Format::Jpeg => Some(decode_jpeg(bytes)?),
        Format::Tiff => Some(
            decode::decode(bytes, Format::Tiff)
                .or_else(|error| decode::decode_ycbcr_tiff(bytes).ok_or(error))?,
        ),
        format => Some(decode::decode(bytes, format)?),
    };
    done(Stage::Decode);
    let develop = format.is_raw()
        && decoded
            .as_ref()
            .is_none_or(|preview| preview.width().max(preview.height()) < WEB_LONG_EDGE);
    let stored_size = match (&decoded, format) {
        (_, Format::Jpeg) => raw::jpeg_dimensions(bytes),
        (Some(image), format) if !format.is_raw() => Some((image.width(), image.height())),
        _ => None,
    };
    let size = stored_size.map(|(width, height)| {
        if (5..=8).contains(&metadata.orientation) {
            (height, width)
        } else {
            (width, height)
        }
    });
    let previews = match decoded {
        Some(image) => {
            let to_srgb = colour::ToSrgb::for_picture(bytes, format);
            Ok(resize::previews_in_srgb(
                &image,
                metadata.orientation,
                to_srgb.as_ref(),
            )?)
        }
        None if format.is_raw() => Err(NoPreview::RawWithoutPreview),
        None => Err(NoPreview::NeedsBrowserDecoder),
    };
    done(Stage::Resize);
    let motion = match format {
        Format::Jpeg => motion::embedded_video(bytes),
        _ => None,
    };
    Ok(Processed {
        format,
        metadata,
        size,
        previews,
        motion,
        develop,
    })
}
