//! When to try a request again, and how long to wait first.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// How the client retries: 429 (for every method, as the server did not
/// process the request) after `Retry-After`, a wait every other request of
/// the client (and its clones) honours too while it lasts; 502, 503, 504 and connection
/// failures (for idempotent methods only) after an exponential backoff with
/// jitter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// Four attempts; backoff from 250 ms up to 8 s; `Retry-After` honoured up to 60 s.
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Never retry: every request is sent once.
    pub fn none() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// Attempts per request, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The first backoff; each later one doubles, up to [`max_backoff`](Self::max_backoff).
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest backoff between two attempts.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The longest wait a `Retry-After` header can ask for; longer asks wait this long.
    pub fn max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// How long to wait before another attempt after a response, if any.
    pub(crate) fn after_response(
        &self,
        method: &Method,
        status: StatusCode,
        headers: &HeaderMap,
        attempt: u32,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        match status.as_u16() {
            429 => Some(
                retry_after(headers, SystemTime::now())
                    .map_or_else(|| self.backoff(attempt), |wait| wait.min(self.max_retry_after)),
            ),
            502..=504 if is_idempotent(method) => Some(self.backoff(attempt)),
            _ => None,
        }
    }

    /// How long to wait before another attempt after a failure to connect, if any.
    pub(crate) fn after_connect_error(&self, method: &Method, attempt: u32) -> Option<Duration> {
        (attempt < self.max_attempts && is_idempotent(method)).then(|| self.backoff(attempt))
    }

    /// Exponential backoff with "equal jitter": half fixed, half random, so
    /// clients that failed together do not retry together.
    fn backoff(&self, attempt: u32) -> Duration {
        let exponential = self.initial_backoff.saturating_mul(1 << attempt.saturating_sub(1).min(16));
        let ceiling = exponential.min(self.max_backoff);
        let half = ceiling / 2;
        let jitter_nanos = fastrand::u64(0..=half.as_nanos().min(u128::from(u64::MAX)) as u64);
        half + Duration::from_nanos(jitter_nanos)
    }
}

/// Until when the server asked this client to wait: a 429's wait applies to
/// every request of the client and its clones, not only to the one that got
/// it, so one page of a concurrent stream slows the whole stream.
#[derive(Debug, Default)]
pub(crate) struct Pause(Mutex<Option<tokio::time::Instant>>);

impl Pause {
    /// Returns once no pause is in force (one may be extended while waiting).
    pub(crate) async fn wait(&self) {
        loop {
            let until = *self.0.lock().unwrap_or_else(PoisonError::into_inner);
            match until {
                Some(until) if until > tokio::time::Instant::now() => tokio::time::sleep_until(until).await,
                _ => return,
            }
        }
    }

    /// Pauses every request for `wait` from now, unless a longer pause is in force.
    pub(crate) fn extend(&self, wait: Duration) {
        let until = tokio::time::Instant::now() + wait;
        let mut current = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if current.is_none_or(|current| current < until) {
            *current = Some(until);
        }
    }
}

/// Methods that change nothing more when repeated.
fn is_idempotent(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS)
}

/// `Retry-After` as a wait: delay-seconds or an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(retry_after).unwrap());
        headers
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(retry_after(&headers("7"), now), Some(Duration::from_secs(7)));
        assert_eq!(retry_after(&headers("Sun, 06 Nov 1994 08:49:47 GMT"), now), Some(Duration::from_secs(10)));
        assert_eq!(retry_after(&headers("Sun, 06 Nov 1994 08:40:00 GMT"), now), Some(Duration::ZERO));
        assert_eq!(retry_after(&headers("soon"), now), None);
    }

    #[test]
    fn only_idempotent_methods_retry_server_errors() {
        let policy = RetryPolicy::default();
        let none = HeaderMap::new();
        assert!(policy.after_response(&Method::GET, StatusCode::SERVICE_UNAVAILABLE, &none, 1).is_some());
        assert!(policy.after_response(&Method::POST, StatusCode::SERVICE_UNAVAILABLE, &none, 1).is_none());
        assert!(policy.after_response(&Method::PATCH, StatusCode::BAD_GATEWAY, &none, 1).is_none());
        assert!(policy.after_response(&Method::POST, StatusCode::TOO_MANY_REQUESTS, &none, 1).is_some());
        assert!(policy.after_response(&Method::GET, StatusCode::INTERNAL_SERVER_ERROR, &none, 1).is_none());
        assert!(policy.after_response(&Method::GET, StatusCode::SERVICE_UNAVAILABLE, &none, 4).is_none());
        assert!(RetryPolicy::none().after_response(&Method::GET, StatusCode::TOO_MANY_REQUESTS, &none, 1).is_none());
    }

    #[test]
    fn retry_after_is_capped_and_backoff_grows_within_bounds() {
        let policy = RetryPolicy::default().max_retry_after(Duration::from_secs(5));
        let wait = policy.after_response(&Method::GET, StatusCode::TOO_MANY_REQUESTS, &headers("3600"), 1);
        assert_eq!(wait, Some(Duration::from_secs(5)));
        let policy =
            RetryPolicy::default().initial_backoff(Duration::from_millis(100)).max_backoff(Duration::from_millis(300));
        for (attempt, ceiling) in [(1, 100), (2, 200), (3, 300), (9, 300)] {
            let wait = policy.backoff(attempt);
            assert!(
                wait >= Duration::from_millis(ceiling / 2) && wait <= Duration::from_millis(ceiling),
                "{attempt}: {wait:?}"
            );
        }
    }
}
