//! The API bodies for one photo: what `POST /uploads` is asked and what
//! `POST /photos` commits, built from the file and what the pool made of it.

use api_types::{
    photo::PhotoDetails,
    upload::{CommitPhoto, CommittedPreview, PreviewFile, UploadFile, UploadTarget},
};

use super::taken_at;
use crate::photos::{Preview, ProcessedPhoto};

fn preview_file(preview: &Preview) -> PreviewFile {
    PreviewFile {
        bytes: preview.blob.size() as u64,
        content_type: preview.blob.type_(),
    }
}

pub(super) fn upload_file(file: &web_sys::File, photo: &ProcessedPhoto) -> UploadFile {
    UploadFile {
        id: photo.id.clone(),
        bytes: file.size() as u64,
        content_type: file.type_(),
        filename: file.name(),
        thumb: photo.previews.as_ref().map(|p| preview_file(&p.thumb)),
        web: photo.previews.as_ref().map(|p| preview_file(&p.web)),
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

pub(super) fn commit_body(
    file: &web_sys::File,
    photo: &ProcessedPhoto,
    original: &UploadTarget,
) -> CommitPhoto {
    CommitPhoto {
        id: photo.id.clone(),
        taken_at: taken_at::rfc3339(photo.metadata.taken_at.as_ref(), file.last_modified()),
        details: PhotoDetails {
            filename: file.name(),
            // As signed: the API may have normalised an empty type.
            content_type: original
                .headers
                .get("content-type")
                .cloned()
                .unwrap_or_else(|| file.type_()),
            bytes: file.size() as u64,
            width: photo.size.map(|(width, _)| width),
            height: photo.size.map(|(_, height)| height),
            metadata: photo.metadata.clone(),
            placeholder: photo.previews.as_ref().and_then(|p| p.placeholder.clone()),
        },
        thumb: photo.previews.as_ref().map(|p| committed(&p.thumb)),
        web: photo.previews.as_ref().map(|p| committed(&p.web)),
    }
}
