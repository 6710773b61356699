//! Lazy streams over every item of a list operation, for each paging style:
//! `limit`/`offset`, page number and size, and page tokens.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::stream::{self, BoxStream, FusedStream, Stream, StreamExt};

use crate::error::Error;

/// The future of one page.
pub(crate) type PageFuture<T> = Pin<Box<dyn Future<Output = Result<Fetched<T>, Error>> + Send>>;

/// Fetches one page.
pub(crate) type FetchPage<T> = Box<dyn Fn(Page) -> PageFuture<T> + Send + Sync>;

/// Which page to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(dead_code, reason = "each spec pages in only some of these styles")]
pub(crate) enum Page {
    /// `limit` items from `offset`; `count` asks for `X-Total-Count` (sent on
    /// the first page only, where the operation supports it).
    Offset { offset: u64, limit: u64, count: bool },
    /// Page `number` of `size` items.
    Number { number: u64, size: u64 },
    /// The page a token names: `None` for the first.
    Token(Option<String>),
}

/// A page's items and what the response says about the rest.
pub(crate) struct Fetched<T> {
    pub(crate) items: Vec<T>,
    /// `X-Total-Count`, when the server sent it.
    pub(crate) total: Option<u64>,
    /// The next page's token, for token paging; `None` on the last page.
    pub(crate) next_token: Option<String>,
}

impl<T> Fetched<T> {
    /// A page whose body is the list of items.
    #[allow(dead_code, reason = "used only by specs with lists paged by number or offset")]
    pub(crate) fn from_list(response: crate::Response<Vec<T>>) -> Self {
        let total = response.total_count();
        Self { items: response.into_body(), total, next_token: None }
    }
}

/// The value of the query parameter `name` in a next-page URL, absolute or
/// relative (`/2010-04-01/Calls.json?PageToken=PA1`).
#[allow(dead_code, reason = "used only by specs whose responses link the next page")]
pub(crate) fn token_in_url(url: &str, name: &str) -> Option<String> {
    let base = url::Url::parse("https://host.invalid/").ok()?;
    let url = base.join(url).ok()?;
    url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.into_owned())
}

/// The `rel="next"` URL of a response's `Link` headers (RFC 8288).
#[allow(dead_code, reason = "used only by specs that page with the Link header")]
pub(crate) fn next_link(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers.get_all(reqwest::header::LINK).iter().filter_map(|value| value.to_str().ok()).find_map(|value| {
        value.split(',').find_map(|link| {
            let (target, params) = link.trim().strip_prefix('<')?.split_once('>')?;
            let next = params.split(';').any(|param| {
                let param = param.trim().replace(' ', "");
                param.eq_ignore_ascii_case("rel=\"next\"") || param.eq_ignore_ascii_case("rel=next")
            });
            next.then(|| target.to_owned())
        })
    })
}

/// Every item of a list operation, fetched a page at a time and only when
/// the stream is polled past the items already fetched. At most one page is
/// held in memory.
///
/// With `limit`/`offset` or page numbers, the stream ends after a short page
/// or as soon as the offset reaches the total the server reported in
/// `X-Total-Count`, so it never asks for a page past the end. With page
/// tokens, it ends on a page that names no next page (or names the same
/// one again). Filters and other parameters of the request apply to every
/// page. Items come as `Result`s: an error ends the stream.
pub struct Items<T> {
    state: State<T>,
}

enum State<T> {
    #[allow(dead_code, reason = "used only by specs with paged lists")]
    Ready {
        fetch: FetchPage<T>,
        first: Page,
        max_items: Option<u64>,
    },
    Running(BoxStream<'static, Result<T, Error>>),
    Spent,
}

impl<T: Send + 'static> Items<T> {
    #[allow(dead_code, reason = "used only by specs with paged lists")]
    pub(crate) fn new(fetch: FetchPage<T>, first: Page) -> Self {
        Self { state: State::Ready { fetch, first, max_items: None } }
    }

    /// Stops after `max_items` items, fetching no more pages than needed
    /// (with `limit`/`offset`, smaller pages when the cap is below the page size).
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
            if let (Page::Offset { limit, .. }, Some(left)) = (&mut page, cursor.remaining) {
                *limit = (*limit).min(left);
            }
            let fetched = match (cursor.fetch)(page.clone()).await {
                Ok(fetched) => fetched,
                Err(error) => return Some((Err(error), cursor)),
            };
            let total = fetched.total.or(cursor.total);
            cursor.total = total;
            let items = fetched.items;
            let count = items.len() as u64;
            cursor.next = match page {
                Page::Offset { offset, limit, .. } => {
                    let offset = offset + count;
                    let more = count == limit && count > 0 && total.is_none_or(|total| offset < total);
                    more.then_some(Page::Offset { offset, limit, count: false })
                }
                Page::Number { number, size } => {
                    (count == size && count > 0).then_some(Page::Number { number: number + 1, size })
                }
                // A token that repeats would ask for the same page forever.
                Page::Token(previous) => fetched
                    .next_token
                    .filter(|next| !next.is_empty() && Some(next) != previous.as_ref())
                    .map(|next| Page::Token(Some(next))),
            };
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
                let at = match first {
                    Page::Offset { offset, .. } => format!("offset {offset}"),
                    Page::Number { number, .. } => format!("page {number}"),
                    Page::Token(None) => "the first page".to_owned(),
                    Page::Token(Some(token)) => format!("page token {token:?}"),
                };
                format!("ready at {at} (max items {max_items:?})")
            }
            State::Running(_) => "running".to_owned(),
            State::Spent => "spent".to_owned(),
        };
        f.debug_struct("Items").field("state", &state).finish()
    }
}
