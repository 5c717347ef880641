//! The client-side rate limiter every HCP Terraform request of one [`TfcClient`] goes through
//! (clones share it), so that a read of hundreds of workspaces stays under the API's documented
//! limit of 30 requests per second per user instead of bouncing off 429s.
//!
//! Three rules, all checked under one lock before a request is sent:
//! - **window**: at most `per_second` requests in any one second, counted from when a request
//!   is admitted until one second after its answer arrived. Whenever the server stamps a
//!   request, that stamp lies between our send and our receipt, so no one-second window on the
//!   server can hold more than `per_second` of ours, whatever the network or timer jitter;
//! - **pacing**: starts spaced `1/per_second` apart after a burst of `burst` (GCRA), so the
//!   window fills smoothly instead of in one burst;
//! - **concurrency**: at most `max_in_flight` requests at once.
//!
//! A 429 still happens (another client of the same user shares the limit); then the retry in
//! `transport` waits as the server says, and [`RateLimiter::hold_off`] makes every other request
//! of this client wait too instead of each collecting its own 429.
//!
//! [`TfcClient`]: super::TfcClient

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

/// How fast a client may call the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests in any one second (HCP Terraform documents 30 per user).
    pub per_second: u32,
    /// Requests that may start back to back before pacing sets in.
    pub burst: u32,
    /// Requests in flight at once.
    pub max_in_flight: u32,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit {
            per_second: 30,
            burst: 10,
            max_in_flight: 16,
        }
    }
}

impl RateLimit {
    /// No limit at all (tests that count requests, not time).
    pub fn unlimited() -> RateLimit {
        RateLimit {
            per_second: u32::MAX,
            burst: u32::MAX,
            max_in_flight: u32::MAX,
        }
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(1) / self.per_second.max(1)
    }
}

const WINDOW: Duration = Duration::from_secs(1);

/// What the limiter decided for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Admission {
    /// Admitted: send at this instant (now, or later for pacing).
    SendAt(Instant),
    /// Try again at this instant (the window or a server hold-off).
    RetryAt(Instant),
    /// Every in-flight slot is taken: try again when a request finishes.
    WaitForAnswer,
}

/// The limiter's bookkeeping; pure, so it is tested with made-up instants.
#[derive(Debug)]
struct State {
    limit: RateLimit,
    /// GCRA's theoretical arrival time.
    tat: Option<Instant>,
    in_flight: u32,
    /// When each answer of the last second arrived, oldest first.
    answered: VecDeque<Instant>,
    /// No request starts before this (after a 429).
    hold_until: Option<Instant>,
}

impl State {
    fn new(limit: RateLimit) -> State {
        State {
            limit,
            tat: None,
            in_flight: 0,
            answered: VecDeque::new(),
            hold_until: None,
        }
    }

    fn decide(&mut self, now: Instant) -> Admission {
        if let Some(until) = self.hold_until.filter(|u| *u > now) {
            return Admission::RetryAt(until);
        }
        while self.answered.front().is_some_and(|t| *t + WINDOW <= now) {
            self.answered.pop_front();
        }
        let counted = self.in_flight as usize + self.answered.len();
        if counted >= self.limit.per_second as usize {
            return match self.answered.front() {
                Some(oldest) => Admission::RetryAt(*oldest + WINDOW),
                None => Admission::WaitForAnswer,
            };
        }
        if self.in_flight >= self.limit.max_in_flight {
            return Admission::WaitForAnswer;
        }
        let interval = self.limit.interval();
        let tolerance = interval.saturating_mul(self.limit.burst.saturating_sub(1));
        let tat = self.tat.unwrap_or(now).max(now);
        let send_at = tat.checked_sub(tolerance).unwrap_or(now).max(now);
        self.tat = Some(tat + interval);
        self.in_flight += 1;
        Admission::SendAt(send_at)
    }

    fn answered(&mut self, now: Instant) {
        self.in_flight = self.in_flight.saturating_sub(1);
        self.answered.push_back(now);
    }

    fn hold_off(&mut self, until: Instant) {
        self.hold_until = Some(self.hold_until.map_or(until, |u| u.max(until)));
    }
}

struct Shared {
    state: Mutex<State>,
    answered: Notify,
}

/// A limiter shared by every clone of the client that made it.
#[derive(Clone)]
pub struct RateLimiter {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimiter")
            .field("limit", &self.lock().limit)
            .finish()
    }
}

impl RateLimiter {
    pub fn new(limit: RateLimit) -> RateLimiter {
        RateLimiter {
            shared: Arc::new(Shared {
                state: Mutex::new(State::new(limit)),
                answered: Notify::new(),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state stays consistent between statements, so a poisoned lock is still usable.
        self.shared.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits until one more request may be sent. Keep the permit until its answer arrived
    /// (dropping it early, e.g. on cancellation, also counts as answered).
    pub async fn acquire(&self) -> Permit {
        loop {
            let answered = self.shared.answered.notified();
            let decision = self.lock().decide(Instant::now());
            match decision {
                Admission::SendAt(at) => {
                    let permit = Permit {
                        limiter: self.clone(),
                    };
                    tokio::time::sleep_until(at).await;
                    return permit;
                }
                Admission::RetryAt(at) => tokio::time::sleep_until(at).await,
                Admission::WaitForAnswer => answered.await,
            }
        }
    }

    /// Makes every request of this client wait `wait` (the server answered 429).
    pub fn hold_off(&self, wait: Duration) {
        self.lock().hold_off(Instant::now() + wait);
    }
}

/// Leave to send one request; dropping it records the answer.
pub struct Permit {
    limiter: RateLimiter,
}

impl Drop for Permit {
    fn drop(&mut self) {
        self.limiter.lock().answered(Instant::now());
        self.limiter.shared.answered.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn limit(per_second: u32, burst: u32, max_in_flight: u32) -> State {
        State::new(RateLimit {
            per_second,
            burst,
            max_in_flight,
        })
    }

    #[test]
    fn paces_after_the_burst() {
        let t0 = Instant::now();
        let mut s = limit(10, 3, 100);
        let sends: Vec<_> = (0..5)
            .map(|_| match s.decide(t0) {
                Admission::SendAt(at) => at - t0,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(sends, [ms(0), ms(0), ms(0), ms(100), ms(200)]);
    }

    #[test]
    fn no_second_holds_more_than_the_limit_counting_until_answers() {
        let t0 = Instant::now();
        let mut s = limit(3, 3, 100);
        for _ in 0..3 {
            assert_eq!(s.decide(t0), Admission::SendAt(t0));
        }
        // All three in flight: nothing to wait for but an answer.
        assert_eq!(s.decide(t0 + ms(10)), Admission::WaitForAnswer);
        s.answered(t0 + ms(50));
        s.answered(t0 + ms(60));
        // The window counts from the answers, not from the sends.
        assert_eq!(s.decide(t0 + ms(70)), Admission::RetryAt(t0 + ms(1050)));
        assert!(matches!(s.decide(t0 + ms(1050)), Admission::SendAt(_)));
        assert_eq!(s.decide(t0 + ms(1055)), Admission::RetryAt(t0 + ms(1060)));
    }

    #[test]
    fn in_flight_is_bounded() {
        let t0 = Instant::now();
        let mut s = limit(1000, 1000, 2);
        assert!(matches!(s.decide(t0), Admission::SendAt(_)));
        assert!(matches!(s.decide(t0), Admission::SendAt(_)));
        assert_eq!(s.decide(t0), Admission::WaitForAnswer);
        s.answered(t0 + ms(5));
        assert!(matches!(s.decide(t0 + ms(5)), Admission::SendAt(_)));
    }

    #[test]
    fn a_hold_off_stops_everyone_and_only_lengthens() {
        let t0 = Instant::now();
        let mut s = limit(30, 10, 16);
        s.hold_off(t0 + ms(500));
        s.hold_off(t0 + ms(200));
        assert_eq!(s.decide(t0), Admission::RetryAt(t0 + ms(500)));
        assert!(matches!(s.decide(t0 + ms(500)), Admission::SendAt(_)));
    }

    #[test]
    fn unlimited_never_waits() {
        let t0 = Instant::now();
        let mut s = State::new(RateLimit::unlimited());
        for _ in 0..10_000 {
            assert_eq!(s.decide(t0), Admission::SendAt(t0));
        }
    }

    #[tokio::test]
    async fn permits_are_shared_by_clones_and_released_on_drop() {
        let a = RateLimiter::new(RateLimit {
            per_second: 100,
            burst: 100,
            max_in_flight: 1,
        });
        let b = a.clone();
        let first = a.acquire().await;
        assert_eq!(a.lock().in_flight, 1);
        let waiting = tokio::spawn(async move { b.acquire().await });
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished());
        drop(first);
        let second = waiting.await.unwrap();
        assert_eq!(a.lock().in_flight, 1);
        drop(second);
        assert_eq!(a.lock().in_flight, 0);
    }
}
