//! The API client: the one place the SPA calls `/api`. Adds the bearer token
//! (renewed first when about to expire), maps every failure to [`ApiError`], and
//! treats a 401 as the end of the session.

use api_types::{
    ErrorBody, Me,
    album::{
        AddPhotos, AddedPhotos, Album, AlbumChange, AlbumList, NewAlbum, NewShare, PublicAlbum,
        Share, ShareList,
    },
    care::{ChangesAnswer, PhotoChange, PhotoChanges, ViewName},
    download::{DownloadList, DownloadRequest},
    photo::{Photo, PhotoPage, PlayAnswer, RestoreRequest, RestoreTierName},
    previews::{MadePreviews, PreviewTargets, WantedPreviews},
    timeline::Timeline,
    upload::{
        CommitAnswer, CommitPhoto, UploadRequest, UploadResponse,
        parts::{SignParts, SignedParts},
    },
};
use gloo_net::http::Request;
use leptos::prelude::*;
use serde::{Serialize, de::DeserializeOwned};

use crate::auth::Auth;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    #[error("not signed in")]
    SignedOut,
    #[error("network: {0}")]
    Network(String),
    #[error("{status} {code}: {message}")]
    Server {
        status: u16,
        code: String,
        message: String,
    },
    #[error("unexpected answer: {0}")]
    Unexpected(String),
}

/// How many times a 503 that says when to come back is asked again.
const UNAVAILABLE_RETRIES: u32 = 2;

/// The header the service worker puts on an answer it kept from before: the
/// network is gone, and what shows is what this device had.
const KEPT_HEADER: &str = "x-shoebox-kept-at";

#[derive(Clone, Copy)]
pub struct Api {
    base: StoredValue<String>,
    auth: Auth,
    /// The last answer came from the service worker's copy, not the network.
    from_device: RwSignal<bool>,
}

/// `?view=trash` (after `joint`, `?` or `&`), or nothing for the timeline,
/// the API's default: its addresses stay what they were before views.
fn view_query(joint: char, view: ViewName) -> String {
    match view {
        ViewName::Timeline => String::new(),
        other => format!("{joint}view={}", other.as_str()),
    }
}

impl Api {
    pub fn new(base: String, auth: Auth) -> Self {
        Self {
            base: StoredValue::new(base.trim_end_matches('/').to_owned()),
            auth,
            from_device: RwSignal::new(false),
        }
    }

    /// Whether the API's last answer was the device's kept copy (offline).
    pub fn answering_from_device(&self) -> bool {
        self.from_device.get()
    }

    pub fn answering_from_device_untracked(&self) -> bool {
        self.from_device.get_untracked()
    }

    /// Asks the API whether it is there (`GET /health`, no sign-in needed).
    pub async fn health(&self) -> Result<(), ApiError> {
        let response = Request::get(&self.url("/health"))
            .send()
            .await
            .map_err(|error| ApiError::Network(error.to_string()))?;
        self.read::<serde_json::Value>(response).await.map(drop)
    }

    pub async fn me(&self) -> Result<Me, ApiError> {
        self.get("/me").await
    }

    /// How many photos `view` holds per month, newest month first, and how
    /// many each view holds.
    pub async fn timeline(&self, view: ViewName) -> Result<Timeline, ApiError> {
        self.get(&format!("/timeline{}", view_query('?', view)))
            .await
    }

    /// A page of `view` from `month`'s newest photo, or from `cursor`.
    /// Aborted (an error) when `abort` fires: the page was scrolled away from.
    pub async fn month_page(
        &self,
        view: ViewName,
        month: &str,
        cursor: Option<&str>,
        limit: u32,
        abort: &web_sys::AbortSignal,
    ) -> Result<PhotoPage, ApiError> {
        // Views are words, months YYYY-MM and cursors base64url: nothing
        // needs escaping.
        let view = view_query('&', view);
        let path = match cursor {
            Some(cursor) => format!("/photos?limit={limit}&cursor={cursor}{view}"),
            None => format!("/photos?limit={limit}&month={month}{view}"),
        };
        self.get_abortable(&path, Some(abort)).await
    }

    /// A page of `view`, newest first, from `cursor`.
    pub async fn view_page(
        &self,
        view: ViewName,
        cursor: Option<&str>,
    ) -> Result<PhotoPage, ApiError> {
        let view = view_query('&', view);
        match cursor {
            Some(cursor) => {
                self.get(&format!("/photos?limit=200&cursor={cursor}{view}"))
                    .await
            }
            None => self.get(&format!("/photos?limit=200{view}")).await,
        }
    }

    /// One change to up to 100 photos; what happened to each.
    pub async fn change_photos(
        &self,
        change: PhotoChange,
        ids: Vec<String>,
    ) -> Result<ChangesAnswer, ApiError> {
        self.post("/photos/changes", &PhotoChanges { change, ids })
            .await
    }

    /// One photo, with a download link for its original.
    pub async fn photo(&self, id: &str) -> Result<Photo, ApiError> {
        self.get(&format!("/photos/{id}")).await
    }

    /// Asks for the photo's original back from deep archive, at `tier`'s
    /// speed: the photo as it now is (restoring, or downloadable).
    pub async fn restore_original(
        &self,
        id: &str,
        tier: RestoreTierName,
    ) -> Result<Photo, ApiError> {
        self.post(&format!("/photos/{id}/restore"), &RestoreRequest { tier })
            .await
    }

    /// The caller's photos whose previews the bucket lost, to make again.
    pub async fn wanted_previews(&self) -> Result<WantedPreviews, ApiError> {
        self.get("/previews/wanted").await
    }

    /// Where to PUT the previews made again for photo `id`.
    pub async fn preview_targets(
        &self,
        id: &str,
        made: &MadePreviews,
    ) -> Result<PreviewTargets, ApiError> {
        self.post(&format!("/photos/{id}/previews"), made).await
    }

    /// The previews made again are in the store: check them in.
    pub async fn previews_done(&self, id: &str, made: &MadePreviews) -> Result<(), ApiError> {
        self.post(&format!("/photos/{id}/previews/done"), made)
            .await
    }

    /// Where to put each file, or that it is already backed up.
    pub async fn uploads(&self, request: &UploadRequest) -> Result<UploadResponse, ApiError> {
        self.post("/uploads", request).await
    }

    /// Presigned PUTs for these parts of an original sent in parts.
    pub async fn sign_parts(&self, id: &str, request: &SignParts) -> Result<SignedParts, ApiError> {
        self.post(&format!("/uploads/{id}/parts"), request).await
    }

    /// Gives up an original's upload in parts: the store drops its parts.
    pub async fn abort_upload(&self, id: &str, upload_id: &str) -> Result<(), ApiError> {
        let query = js_sys::encode_uri_component(upload_id);
        self.delete(&format!("/uploads/{id}/parts?upload_id={query}"))
            .await
    }

    /// Indexes a photo whose files are all in the store.
    pub async fn commit(&self, photo: &CommitPhoto) -> Result<CommitAnswer, ApiError> {
        self.post("/photos", photo).await
    }

    /// The caller's albums, most recently changed first.
    pub async fn albums(&self) -> Result<AlbumList, ApiError> {
        self.get("/albums").await
    }

    pub async fn album(&self, id: &str) -> Result<Album, ApiError> {
        self.get(&format!("/albums/{id}")).await
    }

    pub async fn create_album(&self, album: &NewAlbum) -> Result<Album, ApiError> {
        self.post("/albums", album).await
    }

    /// Renames an album or sets its cover.
    pub async fn change_album(&self, id: &str, change: &AlbumChange) -> Result<Album, ApiError> {
        self.authorized(|token| {
            Request::patch(&self.url(&format!("/albums/{id}")))
                .header("Authorization", &format!("Bearer {token}"))
                .json(change)
        })
        .await
    }

    /// Deletes an album; its photos stay in the timeline.
    pub async fn delete_album(&self, id: &str) -> Result<(), ApiError> {
        self.delete(&format!("/albums/{id}")).await
    }

    /// A page of an album's photos, in timeline order.
    pub async fn album_photos(
        &self,
        id: &str,
        cursor: Option<&str>,
    ) -> Result<PhotoPage, ApiError> {
        // Album ids are hex and cursors base64url: nothing needs escaping.
        match cursor {
            Some(cursor) => {
                self.get(&format!("/albums/{id}/photos?limit=200&cursor={cursor}"))
                    .await
            }
            None => self.get(&format!("/albums/{id}/photos?limit=200")).await,
        }
    }

    /// Adds photos (at most 1000 at a time) to an album.
    pub async fn add_to_album(&self, id: &str, ids: Vec<String>) -> Result<AddedPhotos, ApiError> {
        self.post(&format!("/albums/{id}/photos"), &AddPhotos { ids })
            .await
    }

    /// The originals of `ids` to put in one zip, with URLs to fetch them.
    pub async fn downloads(&self, ids: Vec<String>) -> Result<DownloadList, ApiError> {
        self.post("/downloads", &DownloadRequest { ids }).await
    }

    /// Takes a photo out of an album (the photo stays in the timeline).
    pub async fn remove_from_album(&self, id: &str, photo: &str) -> Result<(), ApiError> {
        self.delete(&format!("/albums/{id}/photos/{photo}")).await
    }

    /// A new link to an album.
    pub async fn share_album(&self, id: &str, share: &NewShare) -> Result<Share, ApiError> {
        self.post(&format!("/albums/{id}/shares"), share).await
    }

    /// The caller's links, newest first.
    pub async fn shares(&self) -> Result<ShareList, ApiError> {
        self.get("/shares").await
    }

    pub async fn revoke_share(&self, token: &str) -> Result<(), ApiError> {
        self.delete(&format!("/shares/{token}")).await
    }

    /// A page of the album a share link opens: no sign-in, no token sent.
    pub async fn public_album(
        &self,
        token: &str,
        cursor: Option<&str>,
    ) -> Result<PublicAlbum, ApiError> {
        // Tokens and cursors are base64url: nothing needs escaping.
        let path = match cursor {
            Some(cursor) => format!("/public/{token}?limit=200&cursor={cursor}"),
            None => format!("/public/{token}?limit=200"),
        };
        let response = Request::get(&self.url(&path))
            .send()
            .await
            .map_err(|error| ApiError::Network(error.to_string()))?;
        self.read(response).await
    }

    /// A video for a share link's visitor where the link keeps the location
    /// private: a copy without it, made the first time (a few seconds).
    pub async fn public_play(&self, token: &str, id: &str) -> Result<PlayAnswer, ApiError> {
        let path = format!("/public/{token}/photos/{id}/play");
        let response = Request::post(&self.url(&path))
            .send()
            .await
            .map_err(|error| ApiError::Network(error.to_string()))?;
        self.read(response).await
    }

    async fn delete(&self, path: &str) -> Result<(), ApiError> {
        self.authorized(|token| {
            Request::delete(&self.url(path))
                .header("Authorization", &format!("Bearer {token}"))
                .build()
        })
        .await
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        self.get_abortable(path, None).await
    }

    async fn get_abortable<T: DeserializeOwned>(
        &self,
        path: &str,
        abort: Option<&web_sys::AbortSignal>,
    ) -> Result<T, ApiError> {
        self.authorized(|token| {
            Request::get(&self.url(path))
                .header("Authorization", &format!("Bearer {token}"))
                .abort_signal(abort)
                .build()
        })
        .await
    }

    async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        self.authorized(|token| {
            Request::post(&self.url(path))
                .header("Authorization", &format!("Bearer {token}"))
                .json(body)
        })
        .await
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base.get_value())
    }

    /// Sends the request `build` makes with the access token. A 401 gets one more
    /// try with a freshly renewed token (the old one may have been revoked or
    /// expired in flight); only if that is refused too is the session over.
    /// A 503 with `Retry-After` (the API could not check the token: its sign-in
    /// service is unreachable, and it did nothing) is asked again, twice at
    /// most; it never ends the session.
    async fn authorized<T: DeserializeOwned>(
        &self,
        build: impl Fn(&str) -> Result<gloo_net::http::Request, gloo_net::Error>,
    ) -> Result<T, ApiError> {
        let mut token = self.auth.access_token().await.ok_or(ApiError::SignedOut)?;
        let mut renewed = false;
        let mut unavailable_retries = 0;
        loop {
            let response = build(&token)
                .map_err(|error| ApiError::Unexpected(error.to_string()))?
                .send()
                .await
                .map_err(|error| ApiError::Network(error.to_string()))?;
            if response.status() == 401 && !renewed {
                renewed = true;
                match self.auth.renewed_access_token().await {
                    Some(fresh) => {
                        token = fresh;
                        continue;
                    }
                    None => {
                        self.auth.mark_expired();
                        return Err(ApiError::SignedOut);
                    }
                }
            }
            if response.status() == 503 && unavailable_retries < UNAVAILABLE_RETRIES {
                let wait_s = response
                    .headers()
                    .get("retry-after")
                    .and_then(|seconds| seconds.trim().parse::<i32>().ok());
                if let Some(wait_s) = wait_s {
                    unavailable_retries += 1;
                    crate::browser::sleep_ms(wait_s.clamp(1, 10) * 1000).await;
                    continue;
                }
            }
            return self.read(response).await;
        }
    }

    async fn read<T: DeserializeOwned>(
        &self,
        response: gloo_net::http::Response,
    ) -> Result<T, ApiError> {
        let from_device = response.headers().get(KEPT_HEADER).is_some();
        if self.from_device.get_untracked() != from_device {
            self.from_device.set(from_device);
        }
        match response.status() {
            // No body: for answers of `()`.
            204 => serde_json::from_str("null")
                .map_err(|error| ApiError::Unexpected(error.to_string())),
            200..=299 => response
                .json::<T>()
                .await
                .map_err(|error| ApiError::Unexpected(error.to_string())),
            401 => {
                self.auth.mark_expired();
                Err(ApiError::SignedOut)
            }
            status => {
                let body = response.json::<ErrorBody>().await.ok();
                Err(ApiError::Server {
                    status,
                    code: body
                        .as_ref()
                        .map_or_else(String::new, |b| b.error.code.clone()),
                    message: body.map_or_else(String::new, |b| b.error.message),
                })
            }
        }
    }
}

impl ApiError {
    /// Whether the same request may succeed if sent again a little later.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Network(_) => true,
            ApiError::Server { status, .. } => *status >= 500 || *status == 429,
            ApiError::SignedOut | ApiError::Unexpected(_) => false,
        }
    }

    /// Not found (or someone else's, which the API answers the same).
    pub fn is_not_found(&self) -> bool {
        matches!(self, ApiError::Server { status: 404, .. })
    }

    /// The words for a person.
    pub fn user_message(&self) -> String {
        match self {
            ApiError::SignedOut => "Your session ended. Sign in again to go on.".into(),
            ApiError::Network(_) => "Shoebox could not be reached. Check your connection.".into(),
            ApiError::Server { message, .. } if !message.is_empty() => message.clone(),
            ApiError::Server { status, .. } => format!("The server answered {status}."),
            ApiError::Unexpected(_) => "The server gave an answer Shoebox did not expect.".into(),
        }
    }
}
