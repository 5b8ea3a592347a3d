//! Camera RAW: the sensor data needs a demosaicing pipeline we do not ship, but
//! every RAW format carries a camera-made JPEG preview. We take the largest
//! baseline or progressive JPEG embedded in the file. (Lossless JPEGs, SOF3, are
//! the sensor data of some formats, and are skipped.) Where that preview is
//! missing or smaller than the web view, the worker develops the sensor data
//! instead ([`develop`], in the lazily loaded `pipeline-raw`).

#[cfg(feature = "raw-develop")]
pub mod develop;

/// How many candidate JPEG starts to look at before giving up.
const MAX_CANDIDATES: usize = 512;
/// Smaller embedded JPEGs are icons, not previews.
const MIN_PREVIEW_PIXELS: u64 = 64 * 64;

/// The largest embedded JPEG (from its SOI to the end of the file), if any.
pub fn embedded_preview(bytes: &[u8]) -> Option<&[u8]> {
    let mut best: Option<(u64, usize)> = None;
    let mut from = 0;
    for _ in 0..MAX_CANDIDATES {
        let Some(offset) = find_soi(&bytes[from..]) else {
            break;
        };
        let start = from + offset;
        if let Some((width, height)) = jpeg_dimensions(&bytes[start..]) {
            let pixels = u64::from(width) * u64::from(height);
            if pixels >= MIN_PREVIEW_PIXELS && best.is_none_or(|(most, _)| pixels > most) {
                best = Some((pixels, start));
            }
        }
        from = start + 3;
    }
    best.map(|(_, start)| &bytes[start..])
}

fn find_soi(bytes: &[u8]) -> Option<usize> {
    bytes
        .windows(3)
        .position(|window| window == [0xFF, 0xD8, 0xFF])
}

/// Width and height from the frame header of a baseline, extended or progressive
/// JPEG starting at `data`.
pub fn jpeg_dimensions(data: &[u8]) -> Option<(u32, u32)> {
    let be16 = |at: usize| {
        data.get(at..at + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
    };
    let mut at = 2;
    loop {
        if *data.get(at)? != 0xFF {
            return None;
        }
        let marker = *data.get(at + 1)?;
        match marker {
            0xFF => at += 1,
            0xC0..=0xC2 => {
                let height = be16(at + 5)?;
                let width = be16(at + 7)?;
                return (width > 0 && height > 0).then_some((u32::from(width), u32::from(height)));
            }
            0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF | 0xD9 | 0xDA => return None,
            _ => at += 2 + usize::from(be16(at + 2)?),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nothing_in_noise_and_the_frame_size_in_a_header() {
        assert!(embedded_preview(&[0u8; 1000]).is_none());
        // SOI, then a SOF0 segment declaring 480 high and 640 wide.
        let header = [
            0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0xE0, 0x02, 0x80, 0x03, 0x01, 0x22,
            0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
        ];
        assert_eq!(jpeg_dimensions(&header), Some((640, 480)));
        let mut raw = vec![0u8; 100];
        raw.extend_from_slice(&header);
        assert_eq!(embedded_preview(&raw).map(<[u8]>::len), Some(header.len()));
    }
}
