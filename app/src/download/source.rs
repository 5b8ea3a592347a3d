//! What a zip holds, listed a part at a time as the service worker asks for
//! more ([`Feed::next`]): a selection (500 ids a request to `POST
//! /downloads`), an album, a month or a year of the library or all of it (a
//! page of it, then its originals), or a share link's album for its visitor
//! (the originals, or the web views where the link keeps the location
//! private). Each part's
//! URLs are made just before they are used, so a long zip never meets an
//! expired one.

use std::{cell::Cell, rc::Rc};

use api_types::{
    care::ViewName,
    download::{DownloadItem, MAX_DOWNLOAD_IDS},
    photo::Photo,
};

use super::{names::UniqueNames, zip::ZipFile};
use crate::api::{Api, ApiError};

/// Where the originals come from.
#[derive(Debug, Clone, PartialEq)]
pub enum ZipSource {
    /// These photos, by id.
    Selection(Vec<String>),
    /// One of the signed-in user's albums, by id.
    Album(String),
    /// One month (`YYYY-MM`) or one year (`YYYY`) of their library, on the
    /// camera's clock.
    Period(String),
    /// Their whole library.
    Library,
    /// The album a share link opens, by its token.
    Shared(String),
}

/// The next parts of a zip's list.
pub struct Feed {
    api: Api,
    source: ZipSource,
    names: UniqueNames,
    /// Where the next page starts (`None` before the first).
    cursor: Option<String>,
    ended: bool,
    /// Selected photos that are no longer in the library, or a link's photos
    /// it does not let be downloaded: counted as they are met.
    left_out: Rc<Cell<usize>>,
}

impl Feed {
    pub fn new(api: Api, source: ZipSource, folders: bool) -> Feed {
        Feed {
            api,
            source,
            names: UniqueNames::new(folders),
            cursor: None,
            ended: false,
            left_out: Rc::default(),
        }
    }

    /// How many are left out, as the feed goes on.
    pub fn left_out(&self) -> Rc<Cell<usize>> {
        self.left_out.clone()
    }

    /// The next part, and whether it is the last.
    pub async fn next(&mut self) -> Result<(Vec<ZipFile>, bool), ApiError> {
        if self.ended {
            return Ok((Vec::new(), true));
        }
        let files = match &mut self.source {
            ZipSource::Selection(ids) => {
                let part: Vec<String> = ids.drain(..ids.len().min(MAX_DOWNLOAD_IDS)).collect();
                self.ended = ids.is_empty();
                self.originals(part).await?
            }
            ZipSource::Period(period) => {
                let period = period.clone();
                // A year is read from its December, a month from itself.
                let start = if period.len() == 4 {
                    format!("{period}-12")
                } else {
                    period.clone()
                };
                // Never fired: a zip's page is not scrolled away from.
                let keep = web_sys::AbortController::new()
                    .map_err(|error| ApiError::Network(crate::browser::describe(&error)))?;
                let page = self
                    .api
                    .month_page(
                        ViewName::Timeline,
                        &start,
                        self.cursor.as_deref(),
                        200,
                        &keep.signal(),
                    )
                    .await?;
                // Newest first: the period ends at its first older photo.
                let (inside, older): (Vec<Photo>, Vec<Photo>) = page
                    .items
                    .into_iter()
                    .partition(|photo| photo.taken_at.starts_with(period.as_str()));
                self.cursor = page.next_cursor;
                self.ended = self.cursor.is_none() || !older.is_empty();
                self.originals(inside.into_iter().map(|photo| photo.id).collect())
                    .await?
            }
            ZipSource::Library => {
                let page = self
                    .api
                    .view_page(ViewName::Timeline, self.cursor.as_deref())
                    .await?;
                self.cursor = page.next_cursor;
                self.ended = self.cursor.is_none();
                self.originals(page.items.into_iter().map(|photo| photo.id).collect())
                    .await?
            }
            ZipSource::Album(id) => {
                let page = self.api.album_photos(id, self.cursor.as_deref()).await?;
                self.cursor = page.next_cursor;
                self.ended = self.cursor.is_none();
                self.originals(page.items.into_iter().map(|photo| photo.id).collect())
                    .await?
            }
            ZipSource::Shared(token) => {
                let page = self.api.public_album(token, self.cursor.as_deref()).await?;
                self.cursor = page.next_cursor;
                self.ended = self.cursor.is_none();
                let mut files = Vec::new();
                for photo in &page.items {
                    match shared_file(photo) {
                        Some((url, filename, bytes)) => files.push(ZipFile {
                            url,
                            name: self.names.name(&filename, &photo.taken_at),
                            bytes,
                            modified: photo.taken_at.clone(),
                            left_out: None,
                        }),
                        None => self.left_out.set(self.left_out.get() + 1),
                    }
                }
                files
            }
        };
        Ok((files, self.ended))
    }

    /// The originals of `ids`, named.
    async fn originals(&mut self, ids: Vec<String>) -> Result<Vec<ZipFile>, ApiError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list = self.api.downloads(ids).await?;
        self.left_out.set(self.left_out.get() + list.missing.len());
        let mut files: Vec<ZipFile> = list
            .items
            .into_iter()
            .map(|item| self.named(item))
            .collect();
        // Named in MISSING.txt, as everything left out of a zip is.
        for archived in list.archived {
            files.push(ZipFile {
                name: self.names.name(&archived.filename, &archived.taken_at),
                url: String::new(),
                bytes: None,
                modified: archived.taken_at,
                left_out: Some(
                    "in deep archive: restore it from its page in Shoebox, then download it again"
                        .into(),
                ),
            });
        }
        Ok(files)
    }

    fn named(&mut self, item: DownloadItem) -> ZipFile {
        ZipFile {
            name: self.names.name(&item.filename, &item.taken_at),
            url: item.url,
            bytes: Some(item.bytes),
            modified: item.taken_at,
            left_out: None,
        }
    }
}

/// What a share link's visitor may download of `photo`: the original where
/// the link shows the location, else the web view (named `{stem}.webp` or
/// `.jpg`, as its URL's key ends); `None` where the link allows neither.
fn shared_file(photo: &Photo) -> Option<(String, String, Option<u64>)> {
    if let Some(url) = &photo.original_url {
        return Some((
            url.clone(),
            photo.details.filename.clone(),
            Some(photo.details.bytes),
        ));
    }
    let url = photo.download_url.as_ref()?;
    let path = url.split('?').next().unwrap_or_default();
    let extension = path
        .rsplit_once('.')
        .map_or("webp", |(_, extension)| extension);
    let stem = photo
        .details
        .filename
        .rsplit_once('.')
        .map_or(photo.details.filename.as_str(), |(stem, _)| stem);
    Some((url.clone(), format!("{stem}.{extension}"), None))
}
