//! Which files in a folder are photos or videos. A picked file is always tried
//! (the pipeline says why it is neither); a folder is full of other things
//! (`.DS_Store`, notes, macOS `._` shadow files), and those are skipped and
//! counted rather than failed one by one.

/// Extensions of photo formats whose MIME type browsers often leave empty or
/// generic: HEIC/HEIF, AVIF and camera RAW.
const PHOTO_EXTENSIONS: &[&str] = &[
    "heic", "heif", "avif", "dng", "cr2", "cr3", "nef", "arw", "raf", "rw2", "orf",
];

/// Extensions of the videos phones and cameras write, some of which browsers
/// leave untyped (`.mkv`, `.3gp`).
const VIDEO_EXTENSIONS: &[&str] = &["mp4", "m4v", "mov", "3gp", "3g2", "webm", "mkv"];

/// The `accept` attribute of the file picker: images, videos, and the formats
/// above.
pub fn accept_attribute() -> String {
    ["image/*", "video/*"]
        .into_iter()
        .map(str::to_owned)
        .chain(
            PHOTO_EXTENSIONS
                .iter()
                .chain(VIDEO_EXTENSIONS)
                .map(|ext| format!(".{ext}")),
        )
        .collect::<Vec<_>>()
        .join(",")
}

/// Whether a file found in a folder is worth trying as a photo or a video.
pub fn looks_like_photo(name: &str, mime: &str) -> bool {
    // Hidden files, and the `._IMG_0001.JPG` resource forks macOS leaves on
    // shared drives, which carry a photo's name but no photo.
    if name.starts_with('.') {
        return false;
    }
    if mime.starts_with("image/") || mime.starts_with("video/") {
        return true;
    }
    let extension = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase());
    extension.is_some_and(|ext| {
        PHOTO_EXTENSIONS.contains(&ext.as_str())
            || VIDEO_EXTENSIONS.contains(&ext.as_str())
            || matches!(
                ext.as_str(),
                "jpg" | "jpeg" | "png" | "webp" | "gif" | "bmp" | "tif" | "tiff"
            )
    })
}

/// The files of a folder that look like photos, and how many were left out.
pub fn photos_in_folder(files: Vec<web_sys::File>) -> (Vec<web_sys::File>, usize) {
    let total = files.len();
    let photos: Vec<_> = files
        .into_iter()
        .filter(|file| looks_like_photo(&file.name(), &file.type_()))
        .collect();
    let skipped = total - photos.len();
    (photos, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_by_type_or_extension_and_nothing_hidden() {
        assert!(looks_like_photo("IMG_0001.JPG", ""));
        assert!(looks_like_photo("IMG_0001.HEIC", ""));
        assert!(looks_like_photo("scan", "image/png"));
        assert!(looks_like_photo("DSC_1234.NEF", "application/octet-stream"));
        assert!(!looks_like_photo(".DS_Store", ""));
        assert!(!looks_like_photo("._IMG_0001.JPG", "image/jpeg"));
        assert!(!looks_like_photo("notes.txt", "text/plain"));
        assert!(looks_like_photo("clip.mp4", "video/mp4"));
        assert!(looks_like_photo("VID_20240101.MKV", ""));
        assert!(!looks_like_photo("._clip.mov", "video/quicktime"));
        assert!(!looks_like_photo("Thumbs.db", ""));
        assert!(!looks_like_photo("README", ""));
    }

    #[test]
    fn the_picker_offers_the_extensions_browsers_do_not_type() {
        let accept = accept_attribute();
        assert!(accept.starts_with("image/*,video/*,"));
        assert!(accept.contains(".heic") && accept.contains(".dng") && accept.contains(".mkv"));
    }
}
