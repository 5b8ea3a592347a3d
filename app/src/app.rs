//! The root component. Nothing renders until `/config.json` is loaded and checked:
//! without it the app does not know where its API or sign-in live, so a failure
//! shows a clear error screen with a way to retry instead of a blank page.

use api_types::RuntimeConfig;
use leptos::prelude::*;
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path,
};

use crate::{
    api::Api,
    auth::Auth,
    components::{
        app_notices::AppNotices,
        download::zip_toast::{ZipState, ZipToast},
        header::Header,
        lightbox::Lightbox,
        session_banner::SessionBanner,
        shared_photos::SharedPhotos,
        shortcuts::Shortcuts,
        startup_error::StartupError,
        upload::{drop_target::DropTarget, upload_panel::UploadPanel},
    },
    config,
    import::Import,
    pages::{
        album::AlbumPage,
        albums::Albums,
        auth_callback::AuthCallback,
        gallery::{Archive, Favorites, Gallery, Trash},
        import::ImportPage,
        not_found::NotFound,
        shared_album::SharedAlbumPage,
        shared_links::SharedLinks,
    },
    pwa::Pwa,
    upload::Uploads,
};

#[component]
pub fn App(
    /// Where to read the runtime config from (`/config.json` in production).
    #[prop(into)]
    config_url: String,
) -> impl IntoView {
    let loaded = LocalResource::new(move || {
        let url = config_url.clone();
        async move { config::load(&url).await }
    });
    move || match loaded.get() {
        None => view! {
            <p class="splash" aria-busy="true">
                "Loading Shoebox…"
            </p>
        }
        .into_any(),
        Some(Ok(config)) => view! { <Shell config /> }.into_any(),
        Some(Err(error)) => {
            view! { <StartupError error on_retry=move || loaded.refetch() /> }.into_any()
        }
    }
}

/// The app once it knows its config: the session, the API client, the header, then
/// the page for the current route.
#[component]
fn Shell(config: RuntimeConfig) -> impl IntoView {
    let auth = Auth::new(config.auth.clone());
    provide_context(auth);
    let api = Api::new(config.api_base.clone(), auth);
    provide_context(api);
    let uploads = Uploads::new(api, &config.upload);
    provide_context(uploads);
    provide_context(Pwa::start(auth, api));
    provide_context(ZipState::new());
    provide_context(Import::new());
    // Files left in the queue by a reload carry on once we know whose they are;
    // previews the bucket lost are made again, once a session.
    let mending = StoredValue::new(false);
    Effect::new(move |_| {
        if let Some(user) = auth.user() {
            uploads.resume(user.sub);
            if !mending.get_value() {
                mending.set_value(true);
                leptos::task::spawn_local(async move {
                    let mended = crate::lost_previews::make_again(api).await;
                    if mended > 0 {
                        leptos::logging::log!("made the lost previews of {mended} photos again");
                    }
                });
            }
        }
    });
    provide_context(config);
    view! {
        <Router>
            <Header />
            <SessionBanner />
            <AppNotices />
            <ZipToast />
            <Shortcuts />
            <main class="page">
                <Routes fallback=NotFound>
                    <ParentRoute path=path!("") view=Gallery>
                        <Route path=path!("") view=|| () />
                        <Route path=path!("photo/:photo_id") view=Lightbox />
                    </ParentRoute>
                    <ParentRoute path=path!("/favorites") view=Favorites>
                        <Route path=path!("") view=|| () />
                        <Route path=path!("photo/:photo_id") view=Lightbox />
                    </ParentRoute>
                    <ParentRoute path=path!("/archive") view=Archive>
                        <Route path=path!("") view=|| () />
                        <Route path=path!("photo/:photo_id") view=Lightbox />
                    </ParentRoute>
                    <ParentRoute path=path!("/trash") view=Trash>
                        <Route path=path!("") view=|| () />
                        <Route path=path!("photo/:photo_id") view=Lightbox />
                    </ParentRoute>
                    <Route path=path!("/albums") view=Albums />
                    <ParentRoute path=path!("/albums/:id") view=AlbumPage>
                        <Route path=path!("") view=|| () />
                        <Route path=path!("photo/:photo_id") view=Lightbox />
                    </ParentRoute>
                    <Route path=path!("/shared") view=SharedLinks />
                    <Route path=path!("/import") view=ImportPage />
                    <ParentRoute path=path!("/s/:token") view=SharedAlbumPage>
                        <Route path=path!("") view=|| () />
                        <Route path=path!("photo/:photo_id") view=Lightbox />
                    </ParentRoute>
                    <Route path=path!("/auth/callback") view=AuthCallback />
                </Routes>
            </main>
            <Show when=move || auth.user().is_some()>
                <DropTarget />
                <UploadPanel />
                <SharedPhotos />
            </Show>
        </Router>
    }
}
