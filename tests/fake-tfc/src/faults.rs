//! Injected faults ([`Fault`]) and the real per-token rate limiter
//! (HCP Terraform: 30 requests per second).

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// A failure to serve instead of the normal response.
#[derive(Debug, Clone)]
pub enum Fault {
    /// The next `count` requests (any) get 429 with
    /// `X-RateLimit-Reset: reset_secs` and the documented error body.
    RateLimit { count: usize, reset_secs: f64 },
    /// The next `count` requests get 500 with a JSON:API error body.
    ServerError { count: usize },
    /// The next `count` write requests (POST/PATCH/PUT/DELETE) whose path
    /// contains `path_contains` fail with `status` and a JSON:API error body.
    FailWrite {
        path_contains: String,
        status: u16,
        count: usize,
    },
}

/// What an injected fault turns a request into.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Triggered {
    RateLimit(f64),
    ServerError,
    Status(u16),
}

/// Pending faults, consumed in injection order.
#[derive(Default)]
pub(crate) struct FaultQueue {
    pending: Vec<Fault>,
}

impl FaultQueue {
    pub fn push(&mut self, fault: Fault) {
        self.pending.push(fault);
    }

    /// Consumes one unit of the first fault matching this request, if any.
    pub fn take(&mut self, method: &str, path: &str) -> Option<Triggered> {
        let write = is_write(method);
        let pos = self.pending.iter().position(|f| match f {
            Fault::RateLimit { count, .. } | Fault::ServerError { count } => *count > 0,
            Fault::FailWrite {
                path_contains,
                count,
                ..
            } => *count > 0 && write && path.contains(path_contains.as_str()),
        })?;
        let (count, trig) = match &mut self.pending[pos] {
            Fault::RateLimit { count, reset_secs } => (count, Triggered::RateLimit(*reset_secs)),
            Fault::ServerError { count } => (count, Triggered::ServerError),
            Fault::FailWrite { status, count, .. } => (count, Triggered::Status(*status)),
        };
        *count -= 1;
        if *count == 0 {
            self.pending.remove(pos);
        }
        Some(trig)
    }
}

pub(crate) fn is_write(method: &str) -> bool {
    matches!(method, "POST" | "PATCH" | "PUT" | "DELETE")
}

/// Sliding one-second window per key (token, or "anonymous").
pub(crate) struct Limiter {
    pub per_second: Option<usize>,
    windows: HashMap<String, VecDeque<Instant>>,
}

impl Limiter {
    pub fn new(per_second: Option<usize>) -> Limiter {
        Limiter {
            per_second,
            windows: HashMap::new(),
        }
    }

    /// Admits the request (and counts it) or returns the seconds until the
    /// window has room again.
    pub fn check(&mut self, key: &str, now: Instant) -> Result<(), f64> {
        let Some(limit) = self.per_second else {
            return Ok(());
        };
        let window = Duration::from_secs(1);
        let q = self.windows.entry(key.to_string()).or_default();
        while q.front().is_some_and(|t| now.duration_since(*t) >= window) {
            q.pop_front();
        }
        if q.len() >= limit.max(1) {
            let oldest = q.front().copied().unwrap_or(now);
            let wait = window.saturating_sub(now.duration_since(oldest));
            return Err(wait.as_secs_f64().max(0.001));
        }
        q.push_back(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fail_write_only_matches_writes_on_path() {
        let mut q = FaultQueue::default();
        q.push(Fault::FailWrite {
            path_contains: "/vars".into(),
            status: 503,
            count: 1,
        });
        assert_eq!(q.take("GET", "/api/v2/workspaces/ws-1/vars"), None);
        assert_eq!(q.take("POST", "/api/v2/organizations"), None);
        assert_eq!(
            q.take("POST", "/api/v2/workspaces/ws-1/vars"),
            Some(Triggered::Status(503))
        );
        assert_eq!(q.take("POST", "/api/v2/workspaces/ws-1/vars"), None);
    }

    #[test]
    fn limiter_window() {
        let mut l = Limiter::new(Some(2));
        let t = Instant::now();
        assert!(l.check("k", t).is_ok());
        assert!(l.check("k", t).is_ok());
        let wait = l.check("k", t + Duration::from_millis(400)).unwrap_err();
        assert!((wait - 0.6).abs() < 0.01, "{wait}");
        assert!(l.check("other", t).is_ok());
        assert!(l.check("k", t + Duration::from_millis(1000)).is_ok());
    }
}
