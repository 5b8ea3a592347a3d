//! The API bodies for one photo: what `POST /uploads` is asked and what
//! `POST /photos` commits, built from the file and what the pool made of it.

use api_types::{
    photo::PhotoDetails,
    upload::{CommitPhoto, CommittedPreview, PreviewFile, UploadFile},
};

use super::taken_at;
use crate::photos::{Preview, ProcessedPhoto};

fn preview_file(preview: &Preview) -> PreviewFile {
    PreviewFile {
        bytes: preview.blob.size() as u64,
        content_type: preview.blob.type_(),
    }
}

/// The original's type as the browser names it, or as the worker sniffed it
/// where the browser does not know it (a `.mkv`, a `.3gp`). The API keeps
/// an empty one as `application/octet-stream`, both when signing and committing.
fn content_type(file: &web_sys::File, photo: &ProcessedPhoto) -> String {
    let named = file.type_();
    if named.is_empty() {
        photo.sniffed_type.clone().unwrap_or_default()
    } else {
        named
    }
}

/// `resume`: the upload in parts an earlier try of this file began.
pub(super) fn upload_file(
    file: &web_sys::File,
    photo: &ProcessedPhoto,
    resume: Option<String>,
) -> UploadFile {
    UploadFile {
        id: photo.id.clone(),
        bytes: file.size() as u64,
        content_type: content_type(file, photo),
        filename: file.name(),
        thumb: photo.previews.as_ref().map(|p| preview_file(&p.thumb)),
        web: photo.previews.as_ref().map(|p| preview_file(&p.web)),
        resume,
    }
}

fn committed(preview: &Preview) -> CommittedPreview {
    CommittedPreview {
        bytes: preview.blob.size() as u64,
        content_type: preview.blob.type_(),
        width: preview.width,
        height: preview.height,
    }
}

/// `upload_id`: the upload in parts the commit is to finish.
pub(super) fn commit_body(
    file: &web_sys::File,
    photo: &ProcessedPhoto,
    upload_id: Option<String>,
) -> CommitPhoto {
    CommitPhoto {
        id: photo.id.clone(),
        taken_at: taken_at::rfc3339(photo.metadata.taken_at.as_ref(), file.last_modified()),
        details: PhotoDetails {
            filename: file.name(),
            content_type: content_type(file, photo),
            bytes: file.size() as u64,
            width: photo.size.map(|(width, _)| width),
            height: photo.size.map(|(_, height)| height),
            metadata: photo.metadata.clone(),
            placeholder: photo.previews.as_ref().and_then(|p| p.placeholder.clone()),
            video: photo.video.clone(),
            motion: photo.motion.clone(),
            imported: None,
        },
        thumb: photo.previews.as_ref().map(|p| committed(&p.thumb)),
        web: photo.previews.as_ref().map(|p| committed(&p.web)),
        upload_id,
    }
}
