//! Brakes on the login form, so a flood of guesses cannot find a password or
//! take the machine down:
//! - wrong passwords are counted per account and per client address within a
//!   window; past the limit, that account or address gets 429 with
//!   `Retry-After` until the window ends (the right password included: a
//!   guesser must not learn it by being let through);
//! - at most [`CONCURRENT_CHECKS`] argon2 checks run at once (each takes about
//!   19 MiB and a core for a while), and at most [`QUEUED_CHECKS`] more wait;
//!   anything past that is answered 429 at once, holding nothing.
//!
//! The counters live in memory (a restart forgets them) and are bounded: past
//! [`MAX_TRACKED`] accounts and addresses in one window, new ones are refused
//! until old windows end (closed, not open, when full).

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// argon2 checks running at once: one per core of a small home server.
pub const CONCURRENT_CHECKS: usize = 2;
/// argon2 checks waiting for one of those; more are refused.
pub const QUEUED_CHECKS: usize = 16;
/// Accounts and addresses counted at once.
pub const MAX_TRACKED: usize = 10_000;

/// How many wrong passwords are allowed, and for how long they count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BrakeLimits {
    pub window: Duration,
    /// Wrong passwords for one account (whoever sends them).
    pub per_account: u32,
    /// Wrong passwords from one client address (for any accounts).
    pub per_address: u32,
}

impl Default for BrakeLimits {
    fn default() -> Self {
        Self {
            window: Duration::from_secs(15 * 60),
            per_account: 10,
            per_address: 30,
        }
    }
}

/// Why a login was not checked: come back after this long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slowed {
    pub retry_after: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Counted {
    Account(String),
    Address(IpAddr),
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    since: Instant,
    count: u32,
}

struct State {
    limits: BrakeLimits,
    failures: HashMap<Counted, Failures>,
}

pub struct Brakes {
    state: Mutex<State>,
    checks: Arc<Semaphore>,
    waiting: AtomicUsize,
    /// argon2 checks let through, for the tests' and the log's sake.
    checks_run: AtomicUsize,
}

impl Default for Brakes {
    fn default() -> Self {
        Self::new(BrakeLimits::default())
    }
}

/// A slot to run one argon2 check in; the slot frees when dropped.
pub struct CheckSlot {
    _permit: OwnedSemaphorePermit,
}

impl Brakes {
    pub fn new(limits: BrakeLimits) -> Self {
        Self {
            state: Mutex::new(State {
                limits,
                failures: HashMap::new(),
            }),
            checks: Arc::new(Semaphore::new(CONCURRENT_CHECKS)),
            waiting: AtomicUsize::new(0),
            checks_run: AtomicUsize::new(0),
        }
    }

    /// Other limits from now on (counts so far are kept).
    pub fn set_limits(&self, limits: BrakeLimits) {
        self.state().limits = limits;
    }

    /// How many argon2 checks have been let through.
    pub fn checks_run(&self) -> usize {
        self.checks_run.load(Ordering::SeqCst)
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Whether `username` may be tried now from `address`.
    pub fn admit(&self, username: &str, address: Option<IpAddr>) -> Result<(), Slowed> {
        let mut state = self.state();
        let limits = state.limits;
        let now = Instant::now();
        state
            .failures
            .retain(|_, failures| now.duration_since(failures.since) < limits.window);
        let mut slowest: Option<Duration> = None;
        for (key, limit) in keys(username, address, &limits) {
            match state.failures.get(&key) {
                Some(failures) if failures.count >= limit => {
                    let left = limits
                        .window
                        .saturating_sub(now.duration_since(failures.since));
                    slowest = Some(slowest.map_or(left, |s| s.max(left)));
                }
                Some(_) => {}
                None if state.failures.len() >= MAX_TRACKED => {
                    // Full: closed until the oldest window ends.
                    let oldest = state.failures.values().map(|f| f.since).min();
                    let left = oldest.map_or(limits.window, |since| {
                        limits.window.saturating_sub(now.duration_since(since))
                    });
                    slowest = Some(slowest.map_or(left, |s| s.max(left)));
                }
                None => {}
            }
        }
        match slowest {
            Some(left) => Err(Slowed {
                retry_after: left.max(Duration::from_secs(1)),
            }),
            None => Ok(()),
        }
    }

    /// A wrong password for `username` from `address`.
    pub fn failed(&self, username: &str, address: Option<IpAddr>) {
        let mut state = self.state();
        let limits = state.limits;
        let now = Instant::now();
        for (key, _) in keys(username, address, &limits) {
            if state.failures.len() >= MAX_TRACKED && !state.failures.contains_key(&key) {
                continue;
            }
            let failures = state.failures.entry(key).or_insert(Failures {
                since: now,
                count: 0,
            });
            failures.count = failures.count.saturating_add(1);
        }
    }

    /// The right password: the account's count starts again (the address's
    /// stays, so one good account cannot launder guesses at others).
    pub fn succeeded(&self, username: &str) {
        self.state()
            .failures
            .remove(&Counted::Account(account(username)));
    }

    /// Waits for a slot to check a password in, unless too many already wait.
    pub async fn check_slot(&self) -> Result<CheckSlot, Slowed> {
        let busy = Slowed {
            retry_after: Duration::from_secs(1),
        };
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= QUEUED_CHECKS {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(busy);
        }
        let permit = self.checks.clone().acquire_owned().await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        let permit = permit.map_err(|_| busy)?;
        self.checks_run.fetch_add(1, Ordering::SeqCst);
        Ok(CheckSlot { _permit: permit })
    }
}

/// Usernames are compared as the user list compares them.
fn account(username: &str) -> String {
    username.trim().to_lowercase()
}

fn keys(username: &str, address: Option<IpAddr>, limits: &BrakeLimits) -> Vec<(Counted, u32)> {
    let mut keys = vec![(Counted::Account(account(username)), limits.per_account)];
    if let Some(address) = address {
        keys.push((Counted::Address(address), limits.per_address));
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> BrakeLimits {
        BrakeLimits {
            window: Duration::from_millis(200),
            per_account: 3,
            per_address: 5,
        }
    }

    const HOME: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(127, 0, 0, 1)));
    const OTHER: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 9)));

    #[test]
    fn an_account_is_slowed_after_its_limit_until_the_window_ends() {
        let brakes = Brakes::new(limits());
        for _ in 0..3 {
            assert!(brakes.admit("Me", HOME).is_ok());
            brakes.failed("me ", HOME);
        }
        let slowed = brakes
            .admit("me", OTHER)
            .expect_err("the account is slowed");
        assert!(slowed.retry_after <= Duration::from_secs(1));
        assert!(
            brakes.admit("someone", OTHER).is_ok(),
            "other accounts are not"
        );
        std::thread::sleep(Duration::from_millis(220));
        assert!(brakes.admit("me", HOME).is_ok(), "after the window");
    }

    #[test]
    fn an_address_is_slowed_for_every_account_after_its_limit() {
        let brakes = Brakes::new(limits());
        for n in 0..5 {
            brakes.failed(&format!("user{n}"), HOME);
        }
        assert!(brakes.admit("fresh", HOME).is_err());
        assert!(brakes.admit("fresh", OTHER).is_ok());
    }

    #[test]
    fn the_right_password_clears_the_accounts_count_not_the_addresses() {
        let brakes = Brakes::new(limits());
        brakes.failed("me", HOME);
        brakes.failed("me", HOME);
        brakes.succeeded("me");
        brakes.failed("me", HOME);
        brakes.failed("me", HOME);
        assert!(brakes.admit("me", OTHER).is_ok(), "2 since the success");
        brakes.failed("me", HOME);
        assert!(brakes.admit("me", OTHER).is_err());
    }

    #[tokio::test]
    async fn at_most_the_queue_waits_for_a_check_and_the_rest_are_turned_away() {
        let brakes = Arc::new(Brakes::default());
        let held: Vec<CheckSlot> = vec![
            brakes.check_slot().await.expect("slot"),
            brakes.check_slot().await.expect("slot"),
        ];
        let mut waiting = Vec::new();
        for _ in 0..QUEUED_CHECKS {
            let brakes = brakes.clone();
            waiting.push(tokio::spawn(
                async move { brakes.check_slot().await.is_ok() },
            ));
        }
        tokio::task::yield_now().await;
        while brakes.waiting.load(Ordering::SeqCst) < QUEUED_CHECKS {
            tokio::task::yield_now().await;
        }
        assert!(
            brakes.check_slot().await.is_err(),
            "past the queue: turned away"
        );
        drop(held);
        for waiter in waiting {
            assert!(waiter.await.expect("joined"), "the queue gets its turn");
        }
        assert_eq!(brakes.checks_run(), CONCURRENT_CHECKS + QUEUED_CHECKS);
    }
}
