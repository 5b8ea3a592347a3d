//! A camera's sensor data developed in Rust ([`rawler`], LGPL-2.1), for the
//! RAWs whose embedded preview is missing or smaller than the web view. Only
//! the lazily loaded `pipeline-raw` wasm turns this on, so the LGPL code stays
//! in a module of its own that the worker fetches on the first such RAW.
//!
//! The develop is rawler's own (black and white levels, white balance, the
//! camera's colour matrix to sRGB, the default crop, sRGB gamma), with one
//! step chosen here: a Bayer sensor is demosaiced by its 2×2 cells
//! ("superpixel", half the sensor's size). A 24 MP sensor gives 3000×2000, more
//! than the web view needs, with no interpolation artefacts and a quarter of
//! the memory; rawler's full-size demosaic also reads a clock, which panics in
//! a browser's wasm. X-Trans and four-colour sensors are refused, and their
//! camera preview kept.

use image::DynamicImage;
use rawler::{
    RawImage,
    decoders::RawDecodeParams,
    imgop::{
        Rect,
        develop::{ProcessingStep, RawDevelop},
        sensor::{Demosaic, SensorType, bayer::superpixel::Superpixel3Channel},
    },
    pixarray::PixF32,
    rawimage::{RawImageData, RawPhotometricInterpretation},
    rawsource::RawSource,
};

use crate::{MAX_PIXELS, PipelineError, Previews, resize};

/// A developed RAW's previews, and the picture's size upright (its sensor's
/// default crop: a half-size develop's previews are smaller).
#[derive(Debug)]
pub struct Developed {
    pub previews: Previews,
    pub width: u32,
    pub height: u32,
}

/// The previews of a RAW developed from its sensor data, or why it cannot be.
pub fn previews(bytes: &[u8]) -> Result<Developed, PipelineError> {
    let source = RawSource::new_from_slice(bytes);
    let decoder = rawler::get_decoder(&source).map_err(decode_error)?;
    let params = RawDecodeParams::default();
    // The sensor's size, from its headers, before any pixel is allocated.
    let header = decoder
        .raw_image(&source, &params, true)
        .map_err(decode_error)?;
    within_budget(header.width, header.height)?;
    let raw = decoder
        .raw_image(&source, &params, false)
        .map_err(decode_error)?;
    within_budget(raw.width, raw.height)?;
    let orientation = u8::try_from(raw.orientation.to_u16()).unwrap_or(1);
    // The photo's size is the sensor's picture (its default crop), not the
    // half-size develop's.
    let picture = raw
        .crop_area
        .or(raw.active_area)
        .map_or(raw.dim(), |area| area.d);
    let (width, height) = (
        u32::try_from(picture.w).unwrap_or(u32::MAX),
        u32::try_from(picture.h).unwrap_or(u32::MAX),
    );
    let image = develop(raw)?;
    let previews = resize::previews(&image, orientation)?;
    let (width, height) = if (5..=8).contains(&orientation) {
        (height, width)
    } else {
        (width, height)
    };
    Ok(Developed {
        previews,
        width,
        height,
    })
}

fn within_budget(width: usize, height: usize) -> Result<(), PipelineError> {
    let (width, height) = (
        u32::try_from(width).unwrap_or(u32::MAX),
        u32::try_from(height).unwrap_or(u32::MAX),
    );
    if width == 0 || height == 0 {
        return Err(PipelineError::NoPixels { width, height });
    }
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PipelineError::TooLarge { width, height });
    }
    Ok(())
}

/// The sensor data as an sRGB picture (16 bits a channel).
fn develop(mut raw: RawImage) -> Result<DynamicImage, PipelineError> {
    let mut steps = vec![
        ProcessingStep::Rescale,
        ProcessingStep::CropActiveArea,
        ProcessingStep::WhiteBalance,
        ProcessingStep::Calibrate,
        ProcessingStep::CropDefault,
        ProcessingStep::SRgb,
    ];
    normalise_white_balance(&mut raw.wb_coeffs);
    if let RawPhotometricInterpretation::Cfa(config) = &raw.photometric {
        if raw.cpp != 1 || !config.cfa.is_rgb() || config.sensor != SensorType::Bayer {
            return Err(PipelineError::Decode(format!(
                "a {:?} sensor with a {} pattern, which is not developed here",
                config.sensor, config.cfa
            )));
        }
        raw.apply_scaling().map_err(decode_error)?;
        raw = superpixel(raw)?;
        steps.retain(|step| !matches!(step, ProcessingStep::Rescale));
    }
    let developed = RawDevelop::new_with(&steps)
        .develop_intermediate(&raw)
        .map_err(decode_error)?;
    developed
        .to_dynamic_image()
        .ok_or_else(|| PipelineError::Decode("the developed pixels do not match their size".into()))
}

/// White balance gains scaled so the smallest is 1, as dcraw does: a DNG's
/// `AsShotNeutral` need not have green at 1 (Magic Lantern's does not), and
/// gains below 1 would darken the picture and leave its highlights grey.
fn normalise_white_balance(gains: &mut [f32; 4]) {
    let smallest = gains[..3].iter().copied().fold(f32::INFINITY, f32::min);
    if smallest.is_finite() && smallest > 0.0 {
        for gain in gains.iter_mut() {
            *gain /= smallest;
        }
    }
}

/// A scaled Bayer mosaic as three-colour pixels at half its size, each from
/// one 2×2 cell of the active area, with the default crop moved to match.
fn superpixel(mut raw: RawImage) -> Result<RawImage, PipelineError> {
    let RawPhotometricInterpretation::Cfa(config) = &raw.photometric else {
        return Err(PipelineError::Decode("not a colour filter array".into()));
    };
    let full = Rect::new(rawler::imgop::Point::zero(), raw.dim());
    let area = raw.active_area.unwrap_or(full);
    let mosaic = match std::mem::replace(&mut raw.data, RawImageData::Float(Vec::new())) {
        RawImageData::Float(values) => values,
        other => other.as_f32().into_owned(),
    };
    if mosaic.len() != raw.width * raw.height {
        return Err(PipelineError::Decode("the sensor data is cut short".into()));
    }
    let pixels = PixF32::new_with(mosaic, raw.width, raw.height);
    let rgb = Superpixel3Channel::new().demosaic(&pixels, &config.cfa, &config.colors, area);
    drop(pixels);
    raw.crop_area = raw.crop_area.map(|crop| {
        let mut crop = crop.adapt(&area);
        crop.scale(0.5);
        crop
    });
    raw.active_area = None;
    raw.width = rgb.width;
    raw.height = rgb.height;
    raw.cpp = 3;
    raw.photometric = RawPhotometricInterpretation::LinearRaw;
    raw.data = RawImageData::Float(rgb.flatten());
    Ok(raw)
}

fn decode_error(error: rawler::RawlerError) -> PipelineError {
    PipelineError::Decode(error.to_string())
}
