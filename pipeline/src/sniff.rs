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
    /// ISO base media video: MP4 and M4V.
    Mp4,
    /// Apple QuickTime (`.mov`), the iPhone's video.
    QuickTime,
    /// 3GPP and 3GPP2, older phones' video.
    ThreeGp,
    WebM,
    /// Matroska (`.mkv`) other than WebM.
    Matroska,
    Unknown,
}

impl Format {
    pub fn is_raw(self) -> bool {
        matches!(
            self,
            Format::TiffRaw | Format::Cr3 | Format::Raf | Format::Rw2 | Format::Orf
        )
    }

    /// A video container: kept as it is, its details read from the container
    /// ([`crate::video`]), never decoded here.
    pub fn is_video(self) -> bool {
        matches!(
            self,
            Format::Mp4 | Format::QuickTime | Format::ThreeGp | Format::WebM | Format::Matroska
        )
    }

    /// The type a video is stored and served as, whatever the file's name or the
    /// browser said.
    pub fn video_mime(self) -> Option<&'static str> {
        Some(match self {
            Format::Mp4 => "video/mp4",
            Format::QuickTime => "video/quicktime",
            Format::ThreeGp => "video/3gpp",
            Format::WebM => "video/webm",
            Format::Matroska => "video/x-matroska",
            _ => return None,
        })
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
    } else if starts(&[0x1A, 0x45, 0xDF, 0xA3]) {
        matroska_doc_type(bytes)
    } else if quicktime_without_ftyp(bytes) {
        Format::QuickTime
    } else {
        Format::Unknown
    }
}

/// Old QuickTime files have no `ftyp`: they start with a movie's own atoms.
fn quicktime_without_ftyp(bytes: &[u8]) -> bool {
    let size = bytes
        .get(0..4)
        .map_or(0, |b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
    // 1 means a 64-bit size follows; a real atom is at least its 8-byte header.
    (size == 1 || size >= 8)
        && matches!(bytes.get(4..8), Some(b"moov" | b"mdat" | b"wide" | b"pnot"))
}

/// EBML: WebM says so in its DocType, near the start of the header.
fn matroska_doc_type(bytes: &[u8]) -> Format {
    let header = &bytes[..bytes.len().min(64)];
    let says = |name: &[u8]| header.windows(name.len()).any(|window| window == name);
    if says(b"webm") {
        Format::WebM
    } else if says(b"matroska") {
        Format::Matroska
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
    let mut video = Format::Unknown;
    for brand in brands {
        match brand {
            b"crx " => return Format::Cr3,
            b"avif" | b"avis" => return Format::Avif,
            b"heic" | b"heix" | b"hevc" | b"heim" | b"heis" | b"hevm" | b"hevs" | b"mif1"
            | b"msf1" => format = Format::Heif,
            b"qt  " => video = Format::QuickTime,
            b"3gp4" | b"3gp5" | b"3gp6" | b"3gp7" | b"3gg6" | b"3g2a" | b"3g2b" | b"3g2c"
                if video == Format::Unknown =>
            {
                video = Format::ThreeGp
            }
            b"isom" | b"iso2" | b"iso4" | b"iso5" | b"iso6" | b"mp41" | b"mp42" | b"avc1"
            | b"M4V " | b"M4VH" | b"M4VP" | b"dash" | b"MSNV"
                if video == Format::Unknown =>
            {
                video = Format::Mp4
            }
            _ => {}
        }
    }
    // An image brand wins: a HEIF may list `isom` among its compatible brands.
    if format == Format::Unknown {
        video
    } else {
        format
    }
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

    #[test]
    fn video_containers() {
        let ftyp = |brands: &[u8]| {
            let mut bytes = ((8 + brands.len()) as u32).to_be_bytes().to_vec();
            bytes.extend_from_slice(b"ftyp");
            bytes.extend_from_slice(brands);
            bytes
        };
        assert_eq!(sniff(&ftyp(b"isom\0\0\x02\0isomiso2avc1mp41")), Format::Mp4);
        assert_eq!(sniff(&ftyp(b"mp42\0\0\0\0mp42isom")), Format::Mp4);
        assert_eq!(sniff(&ftyp(b"M4V \0\0\0\x01M4V M4A mp42isom")), Format::Mp4);
        assert_eq!(sniff(&ftyp(b"qt  \0\0\0\0qt  ")), Format::QuickTime);
        assert_eq!(sniff(&ftyp(b"3gp4\0\0\x02\0isom3gp4")), Format::ThreeGp);
        assert_eq!(sniff(&ftyp(b"3g2a\0\0\0\0")), Format::ThreeGp);
        // A HEIF that also names `isom` is still a photo.
        assert_eq!(sniff(&ftyp(b"mif1\0\0\0\0mif1heicisom")), Format::Heif);
        assert_eq!(sniff(b"\0\0\0\x08wide\0\0\0\x10mdat"), Format::QuickTime);
        assert_eq!(sniff(b"\0\0\0\x6cmoov\0\0\0\x6cmvhd"), Format::QuickTime);
        let ebml = |doc_type: &[u8]| {
            let mut bytes = vec![
                0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82,
            ];
            bytes.push(0x80 | doc_type.len() as u8);
            bytes.extend_from_slice(doc_type);
            bytes
        };
        assert_eq!(sniff(&ebml(b"webm")), Format::WebM);
        assert_eq!(sniff(&ebml(b"matroska")), Format::Matroska);
        assert_eq!(sniff(&ebml(b"other")), Format::Unknown);
        for video in [
            Format::Mp4,
            Format::QuickTime,
            Format::ThreeGp,
            Format::WebM,
            Format::Matroska,
        ] {
            assert!(video.is_video() && video.video_mime().is_some() && !video.is_raw());
        }
        assert!(!Format::Jpeg.is_video() && Format::Jpeg.video_mime().is_none());
    }
}
