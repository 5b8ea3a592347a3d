//! Records as the API shows them: photos with fresh presigned image URLs, albums
//! with their cover's thumbnail, share links with the page to send. Every answer
//! that carries a photo, album or link is made here, so what a visitor of a
//! share link sees is decided in one place ([`shared_photo`]).

use api_types::{
    album::{Album, Share},
    care::Trashed,
    photo::{Photo, PhotoImage},
    upload::CommittedPreview,
};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

use crate::{
    ApiError, ApiState,
    store::{AlbumRecord, ObjectKey, PhotoId, PhotoRecord, ShareRecord, Variant},
};

/// The record as its owner sees it, with fresh image URLs.
pub(crate) fn photo(state: &ApiState, record: &PhotoRecord) -> Result<Photo, ApiError> {
    Ok(Photo {
        id: record.id.to_string(),
        taken_at: rfc3339(record.taken_at)?,
        uploaded_at: rfc3339(record.uploaded_at)?,
        details: record.details.clone(),
        thumb: preview(state, record, Variant::Thumb, &record.thumb)?,
        web: preview(state, record, Variant::Web, &record.web)?,
        original_url: None,
        download_url: None,
        play_url: play_url(state, record)?,
        live: record.live.clone(),
        play_on_request: false,
        archived: None,
        favorite: record.state.favorite,
        in_archive: record.state.in_archive,
        trashed: trashed(record)?,
    })
}

fn trashed(record: &PhotoRecord) -> Result<Option<Trashed>, ApiError> {
    match (record.state.trashed_at, record.state.purge_at()) {
        (Some(at), Some(purge_at)) => Ok(Some(Trashed {
            at: rfc3339(at)?,
            purge_at: rfc3339(purge_at)?,
        })),
        _ => Ok(None),
    }
}

/// What plays: a video's original, the motion photo whose clip is in it, or
/// a Live Photo's video.
fn play_url(state: &ApiState, record: &PhotoRecord) -> Result<Option<String>, ApiError> {
    let plays = match (&record.details.video, &record.details.motion, &record.live) {
        (None, None, None) => return Ok(None),
        (_, _, Some(live)) => PhotoId::parse(&live.id).ok_or_else(|| {
            ApiError::Internal(format!("bad stored Live Photo video for {}", record.id))
        })?,
        _ => record.id.clone(),
    };
    Ok(Some(state.objects.presign_get(&ObjectKey::original(
        &record.owner,
        &plays,
    ))?))
}

/// The record as a share link's visitor sees it. Where it was taken stays with
/// its owner (a photo's location can be their home) unless the link shows it:
/// not in the JSON, and not in a download. An original may hold it anywhere
/// (EXIF, XMP, a maker note, a video's own atoms), so a link that keeps the
/// location private never serves one: its downloads are the web view, which
/// the browser encoded from pixels alone. A photo with no web view (no
/// preview could be made) has no download there.
pub(crate) fn shared_photo(
    state: &ApiState,
    record: &PhotoRecord,
    share: &ShareRecord,
) -> Result<Photo, ApiError> {
    let mut shown = photo(state, record)?;
    // How its owner keeps it is theirs alone.
    shown.favorite = false;
    shown.in_archive = false;
    shown.trashed = None;
    if !share.show_location {
        shown.details.metadata.gps = None;
        // The original is the only thing to play, and its atoms may hold
        // where it was taken: the visitor may ask for a copy without it
        // (`public_play.rs`), which only videos in MP4 and QuickTime can
        // have. A Live Photo's video is one (its kind is checked then), and
        // so is a motion photo's clip.
        shown.play_on_request = shown.play_url.is_some()
            && (record.live.is_some()
                || record.details.motion.is_some()
                || is_iso_media(&record.details.content_type));
        shown.play_url = None;
    }
    if share.allow_download {
        // An original that may be in deep archive cannot be read without its
        // owner's restore: the visitor gets the web view, at once.
        let archived = super::restore::maybe_archived(state, record, OffsetDateTime::now_utc());
        if share.show_location && !archived {
            shown.original_url = Some(original_download(state, record)?);
        } else {
            shown.download_url = web_view_download(state, record)?;
        }
    }
    Ok(shown)
}

/// MP4, QuickTime and 3GPP: the containers whose boxes a copy can rename.
pub(crate) fn is_iso_media(content_type: &str) -> bool {
    matches!(
        content_type,
        "video/mp4" | "video/quicktime" | "video/3gpp" | "video/3gpp2" | "video/x-m4v"
    )
}

/// A short-lived URL that downloads the web view as `{name}.webp` (or `.jpg`).
fn web_view_download(state: &ApiState, record: &PhotoRecord) -> Result<Option<String>, ApiError> {
    let Some(web) = &record.web else {
        return Ok(None);
    };
    let key = ObjectKey::preview(&record.owner, &record.id, Variant::Web, &web.content_type)
        .ok_or_else(|| ApiError::Internal(format!("bad stored preview type for {}", record.id)))?;
    let extension = if web.content_type == "image/jpeg" {
        "jpg"
    } else {
        "webp"
    };
    let filename = &record.details.filename;
    let stem = filename
        .rsplit_once('.')
        .map_or(filename.as_str(), |(stem, _)| stem);
    Ok(Some(
        state
            .objects
            .presign_download(&key, &format!("{stem}.{extension}"))?,
    ))
}

/// A short-lived URL that downloads the original under its own name.
pub(crate) fn original_download(
    state: &ApiState,
    record: &PhotoRecord,
) -> Result<String, ApiError> {
    let key = ObjectKey::original(&record.owner, &record.id);
    Ok(state
        .objects
        .presign_download(&key, &record.details.filename)?)
}

pub(crate) fn album(state: &ApiState, record: &AlbumRecord) -> Result<Album, ApiError> {
    let cover = match &record.cover {
        Some(cover) => preview(state, cover, Variant::Thumb, &cover.thumb)?,
        None => None,
    };
    Ok(Album {
        id: record.id.as_str().to_owned(),
        title: record.title.clone(),
        count: record.count,
        cover_id: record.chosen_cover.as_ref().map(|id| id.to_string()),
        cover,
        created_at: rfc3339(record.created_at)?,
        updated_at: rfc3339(record.updated_at)?,
    })
}

pub(crate) fn share(
    state: &ApiState,
    record: &ShareRecord,
    album_title: &str,
    now: OffsetDateTime,
) -> Result<Share, ApiError> {
    Ok(Share {
        token: record.token.as_str().to_owned(),
        url: format!("{}/s/{}", state.site_url, record.token.as_str()),
        album_id: record.album.as_str().to_owned(),
        album_title: album_title.to_owned(),
        created_at: rfc3339(record.created_at)?,
        expires_at: record.expires_at.map(rfc3339).transpose()?,
        allow_download: record.allow_download,
        show_location: record.show_location,
        expired: record.expired(now),
    })
}

fn preview(
    state: &ApiState,
    record: &PhotoRecord,
    variant: Variant,
    preview: &Option<CommittedPreview>,
) -> Result<Option<PhotoImage>, ApiError> {
    let Some(preview) = preview else {
        return Ok(None);
    };
    let key = ObjectKey::preview(&record.owner, &record.id, variant, &preview.content_type)
        .ok_or_else(|| ApiError::Internal(format!("bad stored preview type for {}", record.id)))?;
    Ok(Some(PhotoImage {
        url: state.objects.presign_get(&key)?,
        width: preview.width,
        height: preview.height,
    }))
}

pub(crate) fn rfc3339(at: OffsetDateTime) -> Result<String, ApiError> {
    at.format(&Rfc3339)
        .map_err(|error| ApiError::Internal(error.to_string()))
}
