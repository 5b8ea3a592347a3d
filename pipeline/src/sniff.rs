//! The format, from the first bytes. File names lie (`jpeg_named_as_nef.nef`).

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Jpeg,
    Png,
    Gif,
    Webp,
    Tiff,
    Bmp,
    Heif,
    Avif,
    /// TIFF-based camera RAW (DNG, CR2, NEF, ARW, PEF, ...).
    TiffRaw,
    Cr3,
    Raf,
    Rw2,
    Orf,
    Unknown,
}

impl Format {
    pub fn is_raw(self) -> bool {
        matches!(
            self,
            Format::TiffRaw | Format::Cr3 | Format::Raf | Format::Rw2 | Format::Orf
        )
    }

    pub fn image_format(self) -> Option<image::ImageFormat> {
        Some(match self {
            Format::Jpeg => image::ImageFormat::Jpeg,
            Format::Png => image::ImageFormat::Png,
            Format::Gif => image::ImageFormat::Gif,
            Format::Webp => image::ImageFormat::WebP,
            Format::Tiff => image::ImageFormat::Tiff,
            Format::Bmp => image::ImageFormat::Bmp,
            _ => return None,
        })
    }
}

pub fn sniff(bytes: &[u8]) -> Format {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(&[0xFF, 0xD8, 0xFF]) {
        Format::Jpeg
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Format::Png
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Format::Gif
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Format::Webp
    } else if starts(b"BM") && bytes.len() > 26 {
        Format::Bmp
    } else if starts(b"FUJIFILMCCD-RAW") {
        Format::Raf
    } else if starts(b"IIU\0") {
        Format::Rw2
    } else if starts(b"IIRO") || starts(b"IIRS") || starts(b"MMOR") {
        Format::Orf
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        if bytes.get(8..10) == Some(b"CR") || tiff_looks_raw(bytes) {
            Format::TiffRaw
        } else {
            Format::Tiff
        }
    } else if bytes.get(4..8) == Some(b"ftyp") {
        iso_bmff_brand(bytes)
    } else {
        Format::Unknown
    }
}

fn iso_bmff_brand(bytes: &[u8]) -> Format {
    let size = bytes
        .get(0..4)
        .map_or(0, |b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize);
    let ftyp = bytes
        .get(8..size.clamp(12, bytes.len().max(12)))
        .unwrap_or_default();
    // The major brand, then the compatible brands after the minor version.
    let brands = std::iter::once(ftyp.get(0..4))
        .chain(ftyp.get(8..).unwrap_or_default().chunks(4).map(Some))
        .flatten();
    let mut format = Format::Unknown;
    for brand in brands {
        match brand {
            b"crx " => return Format::Cr3,
            b"avif" | b"avis" => return Format::Avif,
            b"heic" | b"heix" | b"hevc" | b"heim" | b"heis" | b"hevm" | b"hevs" | b"mif1"
            | b"msf1" => format = Format::Heif,
            _ => {}
        }
    }
    format
}

/// A TIFF whose first IFD declares a DNG version or sub-IFDs is a camera RAW:
/// its first image is a small preview, the real picture is elsewhere.
fn tiff_looks_raw(bytes: &[u8]) -> bool {
    let little = bytes.starts_with(b"II");
    let u16_at = |at: usize| {
        bytes.get(at..at + 2).map(|b| {
            if little {
                u16::from_le_bytes([b[0], b[1]])
            } else {
                u16::from_be_bytes([b[0], b[1]])
            }
        })
    };
    let u32_at = |at: usize| {
        bytes.get(at..at + 4).map(|b| {
            let b = [b[0], b[1], b[2], b[3]];
            if little {
                u32::from_le_bytes(b)
            } else {
                u32::from_be_bytes(b)
            }
        })
    };
    let Some(ifd) = u32_at(4).map(|offset| offset as usize) else {
        return false;
    };
    let count = u16_at(ifd).unwrap_or(0) as usize;
    (0..count.min(512)).any(|entry| {
        let tag = u16_at(ifd + 2 + entry * 12);
        matches!(tag, Some(0xC612 | 0x014A))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_numbers() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE1]), Format::Jpeg);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Format::Png);
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Format::Webp);
        assert_eq!(sniff(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic"), Format::Heif);
        assert_eq!(sniff(b"\0\0\0\x18ftypavif\0\0\0\0mif1miaf"), Format::Avif);
        assert_eq!(sniff(b"\0\0\0\x18ftypcrx \0\0\0\x01crx isom"), Format::Cr3);
        assert_eq!(sniff(b"hello"), Format::Unknown);
        assert_eq!(sniff(b""), Format::Unknown);
    }
}
