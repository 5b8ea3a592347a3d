//! [`Auth`]: the session as the UI sees it, provided as context by the shell.
//!
//! A renewal task refreshes the access token five minutes before it expires. If the
//! provider refuses (refresh token revoked or expired), the session is marked
//! expired: the page stays as it is, nothing in progress is dropped, and the user
//! is asked to sign in again. Network failures are retried every 30 seconds.
//!
//! Renewals are shared: when several uploads find the token stale at once, one
//! refresh request is made and all of them wait for it.

use api_types::AuthConfig;
use futures::future::{FutureExt, LocalBoxFuture, Shared};
use leptos::{prelude::*, task::spawn_local};

use super::{
    flow::{self, TokenError},
    session::{SESSION_KEY, Session, SessionUser},
};
use crate::browser::{current_location, now_ms, sleep_ms};

const RENEW_BEFORE_MS: f64 = 5.0 * 60_000.0;
const RETRY_MS: i32 = 30_000;
/// The renewal task wakes at least this often, so a laptop that slept past the
/// expiry renews as soon as it wakes.
const MAX_NAP_MS: f64 = 60_000.0;

#[derive(Clone, Copy)]
pub struct Auth {
    session: RwSignal<Option<Session>>,
    expired: RwSignal<bool>,
    config: StoredValue<AuthConfig>,
    /// Bumped whenever a new renewal task starts, so the old one stops.
    generation: StoredValue<u32>,
    /// The refresh in flight, which every caller that needs one awaits.
    renewing: StoredValue<Option<Renewal>, LocalStorage>,
}

type Renewal = Shared<LocalBoxFuture<'static, Result<Session, TokenError>>>;

impl Auth {
    /// Restores a saved session, if any, and starts keeping it fresh.
    pub fn new(config: AuthConfig) -> Self {
        let auth = Auth {
            session: RwSignal::new(Session::load()),
            expired: RwSignal::new(false),
            config: StoredValue::new(config),
            generation: StoredValue::new(0),
            renewing: StoredValue::new_local(None),
        };
        if auth.session.get_untracked().is_some() {
            auth.keep_fresh();
        }
        // Another tab signed in, renewed or signed out: follow it.
        let _ = window_event_listener(leptos::ev::storage, move |event| {
            if event.key().as_deref() == Some(SESSION_KEY) {
                auth.adopt(Session::load());
            }
        });
        auth
    }

    fn adopt(&self, session: Option<Session>) {
        let signed_in = session.is_some();
        self.session.set(session);
        if signed_in {
            self.expired.set(false);
            self.keep_fresh();
        } else {
            self.generation.update_value(|generation| *generation += 1);
        }
    }

    pub fn config(&self) -> AuthConfig {
        self.config.get_value()
    }

    /// The signed-in user (reactive).
    pub fn user(&self) -> Option<SessionUser> {
        self.session
            .with(|session| session.as_ref().map(|s| s.user.clone()))
    }

    /// The session ended and could not be renewed (reactive).
    pub fn is_expired(&self) -> bool {
        self.expired.get()
    }

    /// A working access token, renewed first if it is about to expire; `None` when
    /// the user must sign in (again).
    pub async fn access_token(&self) -> Option<String> {
        let session = self.session.get_untracked()?;
        if self.expired.get_untracked() {
            return None;
        }
        if session.expires_at_ms - now_ms() > 60_000.0 {
            return Some(session.access_token);
        }
        self.renew(&session)
            .await
            .ok()
            .map(|session| session.access_token)
    }

    /// A freshly renewed access token, for when the API refused the one we had
    /// (revoked, or expired early by a clock that disagrees): `None` when the
    /// provider refuses too, and the user must sign in again.
    pub async fn renewed_access_token(&self) -> Option<String> {
        let session = self.session.get_untracked()?;
        self.renew(&session)
            .await
            .ok()
            .map(|session| session.access_token)
    }

    /// The API refused our token: treat the session as over.
    pub fn mark_expired(&self) {
        self.expired.set(true);
    }

    /// Stores a session that a sign-in just produced.
    pub fn establish(&self, session: Session) {
        session.save();
        self.session.set(Some(session));
        self.expired.set(false);
        self.keep_fresh();
    }

    /// Leaves for the provider's login page, to come back here.
    pub fn sign_in(&self) {
        let config = self.config();
        spawn_local(async move {
            if let Err(error) = flow::begin(&config, &current_location()).await {
                leptos::logging::error!("cannot start sign-in: {error}");
            }
        });
    }

    pub fn sign_out(&self) {
        let config = self.config();
        let session = self.session.get_untracked();
        self.generation.update_value(|generation| *generation += 1);
        self.session.set(None);
        spawn_local(async move { flow::sign_out(&config, session).await });
    }

    /// Renews the session, joining a renewal already in flight.
    async fn renew(&self, session: &Session) -> Result<Session, TokenError> {
        if let Some(renewal) = self.renewing.get_value() {
            return renewal.await;
        }
        let auth = *self;
        let session = session.clone();
        let renewal = async move { auth.renew_now(&session).await }
            .boxed_local()
            .shared();
        self.renewing.set_value(Some(renewal.clone()));
        let result = renewal.await;
        self.renewing.set_value(None);
        result
    }

    async fn renew_now(&self, session: &Session) -> Result<Session, TokenError> {
        let result = flow::refresh(&self.config(), session).await;
        match &result {
            Ok(renewed) => {
                renewed.save();
                self.session.set(Some(renewed.clone()));
            }
            Err(TokenError::Rejected(reason)) => {
                leptos::logging::warn!("session could not be renewed: {reason}");
                self.expired.set(true);
            }
            Err(TokenError::Network(_)) => {}
        }
        result
    }

    fn keep_fresh(&self) {
        let auth = *self;
        let generation = {
            let mut next = 0;
            self.generation.update_value(|generation| {
                *generation += 1;
                next = *generation;
            });
            next
        };
        spawn_local(async move {
            loop {
                if auth.generation.get_value() != generation || auth.expired.get_untracked() {
                    return;
                }
                let Some(session) = auth.session.get_untracked() else {
                    return;
                };
                let wait = session.expires_at_ms - RENEW_BEFORE_MS - now_ms();
                if wait > 0.0 {
                    sleep_ms(wait.min(MAX_NAP_MS) as i32).await;
                    continue;
                }
                if let Err(TokenError::Network(reason)) = auth.renew(&session).await {
                    leptos::logging::warn!("renewal failed, retrying: {reason}");
                    sleep_ms(RETRY_MS).await;
                }
            }
        });
    }
}
