//! The checks `POST /uploads` and `POST /photos` share on what a client declares
//! about a photo's files. Each failure is a sentence about that one file.

use api_types::{photo::MAX_LIVE_ID_CHARS, upload::MAX_PREVIEW_BYTES};

use crate::store::keys::preview_extension;

pub(crate) const MAX_FILENAME_CHARS: usize = 255;

/// The original's declared type, as it will be signed and stored. Browsers leave
/// `File.type` empty for types they do not know (most camera RAW files).
pub(crate) fn original_type(content_type: &str) -> Result<String, String> {
    let content_type = content_type.trim();
    if content_type.is_empty() {
        return Ok("application/octet-stream".to_owned());
    }
    let printable = content_type
        .bytes()
        .all(|b| (0x21..0x7f).contains(&b) || b == b' ');
    if content_type.len() > 100 || !printable || !content_type.contains('/') {
        return Err(format!("{content_type:?} is not a content type"));
    }
    Ok(content_type.to_ascii_lowercase())
}

/// The store's name for a multipart upload, as a client hands it back. S3's
/// are URL-safe text of a few hundred characters; anything else never came from
/// the store.
pub(crate) fn upload_id(upload_id: &str) -> Result<(), String> {
    let plain = upload_id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~+/=".contains(&b));
    if upload_id.is_empty() || upload_id.len() > 1024 || !plain {
        return Err("That is not an upload id this store gave.".to_owned());
    }
    Ok(())
}

/// A Live Photo's content identifier: Apple's are UUIDs; anything else that
/// is short, plain text pairs as well, and nothing else is kept.
pub(crate) fn live_id(live_id: &str) -> Result<(), String> {
    let plain = live_id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if live_id.is_empty() || live_id.len() > MAX_LIVE_ID_CHARS || !plain {
        return Err("the Live Photo's content identifier must be a short id".to_owned());
    }
    Ok(())
}

pub(crate) fn filename(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err("the file name is empty".to_owned());
    }
    if name.chars().count() > MAX_FILENAME_CHARS {
        return Err(format!(
            "the file name is longer than {MAX_FILENAME_CHARS} characters"
        ));
    }
    if name.chars().any(char::is_control) {
        return Err("the file name has control characters".to_owned());
    }
    Ok(())
}

pub(crate) fn original_size(bytes: u64, max: u64) -> Result<(), String> {
    match bytes {
        0 => Err("the file is empty".to_owned()),
        n if n > max => Err(format!(
            "the file is {} MB, over this Shoebox's limit of {} MB",
            megabytes(n),
            megabytes(max)
        )),
        _ => Ok(()),
    }
}

pub(crate) fn preview(variant: &str, bytes: u64, content_type: &str) -> Result<(), String> {
    if preview_extension(content_type).is_none() {
        return Err(format!("the {variant} must be image/webp or image/jpeg"));
    }
    if bytes == 0 || bytes > MAX_PREVIEW_BYTES {
        return Err(format!(
            "the {variant} must be between 1 byte and {} MB",
            megabytes(MAX_PREVIEW_BYTES)
        ));
    }
    Ok(())
}

fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / 1_000_000.0;
    if mb >= 10.0 {
        format!("{mb:.0}")
    } else {
        format!("{mb:.1}")
    }
}
