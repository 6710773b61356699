//! Lazy streams over every item of a `limit`/`offset` list operation.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::stream::{self, BoxStream, FusedStream, Stream, StreamExt};

use crate::error::Error;
use crate::response::Response;

/// The future of one page.
pub(crate) type PageFuture<T> = Pin<Box<dyn Future<Output = Result<Response<Vec<T>>, Error>> + Send>>;

/// Fetches the page of `limit` items at `offset`, asking for the total count when `count` is true.
pub(crate) type FetchPage<T> = Box<dyn Fn(Page) -> PageFuture<T> + Send + Sync>;

/// Which page to fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Page {
    pub(crate) offset: u64,
    pub(crate) limit: u64,
    /// Ask for `X-Total-Count`: sent on the first page only, where the operation supports it.
    pub(crate) count: bool,
}

/// Every item of a list operation, fetched a page at a time and only when
/// the stream is polled past the items already fetched. At most one page is
/// held in memory.
///
/// The stream ends after a short page, or as soon as the offset reaches the
/// total the server reported in `X-Total-Count`, so it never asks for a
/// page past the end. Filters and other parameters of the request apply to
/// every page. Items come as `Result`s: an error ends the stream.
pub struct Items<T> {
    state: State<T>,
}

enum State<T> {
    #[allow(dead_code, reason = "used only by specs with `limit`/`offset` lists")]
    Ready {
        fetch: FetchPage<T>,
        first: Page,
        max_items: Option<u64>,
    },
    Running(BoxStream<'static, Result<T, Error>>),
    Spent,
}

impl<T: Send + 'static> Items<T> {
    #[allow(dead_code, reason = "used only by specs with `limit`/`offset` lists")]
    pub(crate) fn new(fetch: FetchPage<T>, first: Page) -> Self {
        Self { state: State::Ready { fetch, first, max_items: None } }
    }

    /// Stops after `max_items` items, fetching no more pages than needed
    /// (smaller pages when the cap is below the page size).
    pub fn max_items(mut self, max_items: u64) -> Self {
        if let State::Ready { max_items: cap, .. } = &mut self.state {
            *cap = Some(max_items);
        }
        self
    }
}

struct Cursor<T> {
    fetch: FetchPage<T>,
    next: Option<Page>,
    buffer: VecDeque<T>,
    remaining: Option<u64>,
    /// `X-Total-Count` of the first page: later pages do not ask for it,
    /// so it is remembered to stop before a page past the end.
    total: Option<u64>,
}

fn start<T: Send + 'static>(
    fetch: FetchPage<T>,
    first: Page,
    max_items: Option<u64>,
) -> BoxStream<'static, Result<T, Error>> {
    let cursor = Cursor { fetch, next: Some(first), buffer: VecDeque::new(), remaining: max_items, total: None };
    stream::unfold(cursor, |mut cursor| async move {
        loop {
            if cursor.remaining == Some(0) {
                return None;
            }
            if let Some(item) = cursor.buffer.pop_front() {
                cursor.remaining = cursor.remaining.map(|left| left - 1);
                return Some((Ok(item), cursor));
            }
            let mut page = cursor.next.take()?;
            if let Some(left) = cursor.remaining {
                page.limit = page.limit.min(left);
            }
            let response = match (cursor.fetch)(page).await {
                Ok(response) => response,
                Err(error) => return Some((Err(error), cursor)),
            };
            let total = response.total_count().or(cursor.total);
            cursor.total = total;
            let items = response.into_body();
            let fetched = items.len() as u64;
            let offset = page.offset + fetched;
            let more = fetched == page.limit && fetched > 0 && total.is_none_or(|total| offset < total);
            cursor.next = more.then_some(Page { offset, limit: page.limit, count: false });
            cursor.buffer = items.into();
        }
    })
    .boxed()
}

impl<T: Send + 'static> Stream for Items<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // The first poll starts the stream, so `max_items` can still be set before it.
        self.state = match std::mem::replace(&mut self.state, State::Spent) {
            State::Ready { fetch, first, max_items } => State::Running(start(fetch, first, max_items)),
            running_or_spent => running_or_spent,
        };
        let State::Running(items) = &mut self.state else {
            return Poll::Ready(None);
        };
        let next = items.poll_next_unpin(cx);
        if let Poll::Ready(None) = next {
            // The inner stream must not be polled again once it has ended.
            self.state = State::Spent;
        }
        next
    }
}

impl<T: Send + 'static> FusedStream for Items<T> {
    fn is_terminated(&self) -> bool {
        matches!(self.state, State::Spent)
    }
}

impl<T> fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Ready { first, max_items, .. } => {
                format!("ready at offset {} (max items {max_items:?})", first.offset)
            }
            State::Running(_) => "running".to_owned(),
            State::Spent => "spent".to_owned(),
        };
        f.debug_struct("Items").field("state", &state).finish()
    }
}
