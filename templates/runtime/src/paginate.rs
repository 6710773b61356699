//! Lazy streams over every item of a list operation, for each paging style:
//! `limit`/`offset`, page number and size, page tokens, and search-after
//! (each page starts after the sort values of the one before's last item).

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::stream::{self, BoxStream, FusedStream, Stream, StreamExt};

use crate::error::Error;

/// The future of one page.
pub type PageFuture<T> = Pin<Box<dyn Future<Output = Result<Fetched<T>, Error>> + Send>>;

/// Fetches one page.
pub type FetchPage<T> = Box<dyn Fn(Page) -> PageFuture<T> + Send + Sync>;

/// Which page to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// `limit` items from `offset`; `count` asks for `X-Total-Count` (sent on
    /// the first page only, where the operation supports it).
    Offset {
        /// The first item's index.
        offset: u64,
        /// The page size.
        limit: u64,
        /// Whether to ask for the total.
        count: bool,
    },
    /// Page `number` of `size` items.
    Number {
        /// The page's number.
        number: u64,
        /// The page size.
        size: u64,
    },
    /// The page a token names: `None` for the first.
    Token(Option<String>),
    /// The page of the items sorted after `values` (the sort values of the
    /// last item before it; `None` for the start), of `limit` items when the
    /// operation takes a page size. `count` asks for `X-Total-Count`, as
    /// for offsets.
    After {
        /// Where the page starts: the sort values it comes after.
        values: Option<Vec<String>>,
        /// The page size, when the operation takes one.
        limit: Option<u64>,
        /// Whether to ask for the total.
        count: bool,
    },
}

/// A page's items and what the response says about the rest.
pub struct Fetched<T> {
    /// The page's items.
    pub items: Vec<T>,
    /// The number of items the server reported for the whole list (SailPoint's `X-Total-Count`).
    pub total: Option<u64>,
    /// The next page's token, for token paging; `None` on the last page.
    pub next_token: Option<String>,
    /// For search-after paging, the sort values of the page's last item,
    /// where the next page starts (see [`sorted_page`]); the error when that
    /// item lacks one, reported once the page's items are used.
    pub next_after: Option<Result<Vec<String>, Error>>,
}

impl<T> Fetched<T> {
    /// A page whose body is the list of items.
    pub fn from_list(response: crate::Response<Vec<T>>) -> Self {
        Self { items: response.into_body(), total: None, next_token: None, next_after: None }
    }

    /// A page whose body is the list of items, with the total in `X-Total-Count`.
    #[cfg(feature = "sailpoint")]
    pub fn from_counted_list(response: crate::Response<Vec<T>>) -> Self {
        let total = response.total_count();
        Self { items: response.into_body(), total, next_token: None, next_after: None }
    }
}

/// The future of a page: the response of its request, made a page by `page_of`.
pub fn page<B: Send + 'static, T: Send + 'static>(
    response: crate::ResponseFuture<B>,
    page_of: fn(crate::Response<B>) -> Fetched<T>,
) -> PageFuture<T> {
    Box::pin(async move { Ok(page_of(response.await?)) })
}

/// The future of a search-after page: as [`page`], with the values of
/// `sort` (the sort sent) on its last item as [`Fetched::next_after`].
pub fn sorted_page<B: Send + 'static, T: serde::Serialize + Send + 'static>(
    operation: &'static str,
    response: crate::ResponseFuture<B>,
    page_of: fn(crate::Response<B>) -> Fetched<T>,
    sort: Vec<String>,
) -> PageFuture<T> {
    Box::pin(async move {
        let mut fetched = page_of(response.await?);
        fetched.next_after = fetched.items.last().map(|last| sort_values(operation, last, &sort));
        Ok(fetched)
    })
}

/// The sort a search-after stream sends: the caller's, then `tiebreak` (a
/// key unique to each item), unless the caller's sort already names it in
/// either direction. Without a unique last key, items that tie on every
/// key could straddle two pages, and one of them would be skipped.
pub fn sort_sent(caller: &[String], tiebreak: &str) -> Vec<String> {
    let mut sort = caller.to_vec();
    if !caller.iter().any(|key| sort_field(key) == tiebreak) {
        sort.push(tiebreak.to_owned());
    }
    sort
}

/// A sort key's field: without its direction (`-created` sorts by `created`).
fn sort_field(key: &str) -> &str {
    key.strip_prefix(['+', '-']).unwrap_or(key)
}

/// The values of an item for each key of `sort` (dotted paths into its
/// JSON, such as `manager.name`, with an optional `+`/`-` direction), as a
/// search-after request sends them: strings as they are, numbers and
/// booleans as their JSON text. A key the item has no value for (missing,
/// `null`, or not a string, number or boolean) is an [`Error::Paging`]: a
/// page started anywhere else would skip or repeat items.
pub fn sort_values<T: serde::Serialize>(
    operation: &'static str,
    item: &T,
    sort: &[String],
) -> Result<Vec<String>, Error> {
    let failed = |message: String| Error::Paging { operation, message };
    let item = serde_json::to_value(item)
        .map_err(|error| failed(format!("the last item could not be read for its sort values: {error}")))?;
    sort.iter()
        .map(|key| {
            let field = sort_field(key);
            let value = field.split('.').try_fold(&item, |value, name| value.get(name));
            match value {
                Some(serde_json::Value::String(text)) => Ok(text.clone()),
                Some(serde_json::Value::Number(number)) => Ok(number.to_string()),
                Some(serde_json::Value::Bool(flag)) => Ok(flag.to_string()),
                Some(serde_json::Value::Null) | None => Err(failed(format!(
                    "the page's last item has no value for the sort key `{field}`, which the next page starts after"
                ))),
                Some(_) => Err(failed(format!(
                    "the page's last item holds a list or an object at the sort key `{field}`, not a value the next page can start after"
                ))),
            }
        })
        .collect()
}

/// The stream over every item of a list operation, from its first page on.
pub fn items<T: Send + 'static>(
    fetch: impl Fn(Page) -> PageFuture<T> + Send + Sync + 'static,
    first: Page,
) -> Items<T> {
    Items::new(Box::new(fetch), first)
}

/// The value of the query parameter `name` in a next-page URL, absolute or
/// relative (`/2010-04-01/Calls.json?PageToken=PA1`).
pub fn token_in_url(url: &str, name: &str) -> Option<String> {
    let base = url::Url::parse("https://host.invalid/").ok()?;
    let url = base.join(url).ok()?;
    url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.into_owned())
}

/// The `rel="next"` URL of a response's `Link` headers (RFC 8288).
pub fn next_link(headers: &reqwest::header::HeaderMap) -> Option<String> {
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

/// Every item of a list operation, fetched a page at a time.
///
/// Nothing is fetched before the stream is first polled. Then, while the
/// caller works through a page, the next one is already being fetched (on
/// the Tokio runtime), so at most two pages are held in memory; call
/// [`sequential`](Self::sequential) to fetch a page only once the one before
/// it is used up, or [`concurrency`](Self::concurrency) to fetch several at
/// once. Items always come in order.
///
/// With `limit`/`offset` or page numbers, the stream ends after a short page
/// or as soon as the offset reaches the total the server reported in
/// `X-Total-Count`, so it never asks for a page past the end. With page
/// tokens, it ends on a page that names no next page (or names the same
/// one again). With search-after, each page starts after the sort values of
/// the last item of the one before; the stream ends on a short or empty
/// page, or when a page ends on the same values as the one before (not at a
/// reported total, which search engines may cap). Filters and other parameters of the request
/// apply to every page. Items come as `Result`s: an error is yielded after
/// every item of the pages before it, and ends the stream.
pub struct Items<T> {
    state: State<T>,
}

enum State<T> {
    Ready { fetch: FetchPage<T>, first: Page, max_items: Option<u64>, ahead: Ahead },
    Running(BoxStream<'static, Result<T, Error>>),
    Spent,
}

/// How many pages are fetched before the stream needs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ahead {
    /// None: a page is fetched when the one before it is used up.
    Nothing,
    /// Up to this many pages at once (at least 1). More than one only once
    /// the server reported the total, so that pages can be planned without
    /// waiting for the one before.
    Pages(usize),
}

impl<T: Send + 'static> Items<T> {
    pub(crate) fn new(fetch: FetchPage<T>, first: Page) -> Self {
        Self { state: State::Ready { fetch, first, max_items: None, ahead: Ahead::Pages(1) } }
    }

    /// Stops after `max_items` items, fetching no more pages than needed
    /// (with `limit`/`offset`, smaller pages when the cap is below the page size).
    pub fn max_items(mut self, max_items: u64) -> Self {
        if let State::Ready { max_items: cap, .. } = &mut self.state {
            *cap = Some(max_items);
        }
        self
    }

    /// Fetches a page only when the items before it are used up, rather than
    /// one page ahead: no request is ever sent for a page the caller does not reach.
    pub fn sequential(self) -> Self {
        self.ahead(Ahead::Nothing)
    }

    /// Fetches up to `pages` pages at once (at least 1, the default) once the
    /// first page reported the total (`X-Total-Count`), still yielding items in
    /// order; up to `pages + 1` pages are then held in memory. Without a total,
    /// or with page tokens or search-after, the next page is only known from the one before,
    /// and the stream fetches one page ahead. A 429 from any page pauses every
    /// request of the client for the wait it asks (see [`RetryPolicy`](crate::RetryPolicy)).
    pub fn concurrency(self, pages: usize) -> Self {
        self.ahead(Ahead::Pages(pages.max(1)))
    }

    fn ahead(mut self, new: Ahead) -> Self {
        if let State::Ready { ahead, .. } = &mut self.state {
            *ahead = new;
        }
        self
    }
}

/// A page requested and not yet used.
struct Requested<T> {
    page: Page,
    fetching: Fetching<T>,
}

/// How a requested page is being fetched.
enum Fetching<T> {
    /// As a task on the runtime, so it progresses while the caller is busy.
    Task(AbortOnDrop<Result<Fetched<T>, Error>>),
    /// By the stream itself when it awaits the page: there is no runtime to run it on.
    Inline(PageFuture<T>),
}

/// A task aborted when its handle is dropped, as a page nobody will use is.
struct AbortOnDrop<R>(tokio::task::JoinHandle<R>);

impl<R> Drop for AbortOnDrop<R> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl<T: Send + 'static> Requested<T> {
    fn start(fetch: &FetchPage<T>, page: Page) -> Self {
        let future = fetch(page.clone());
        let fetching = match tokio::runtime::Handle::try_current() {
            Ok(runtime) => Fetching::Task(AbortOnDrop(runtime.spawn(future))),
            Err(_) => Fetching::Inline(future),
        };
        Self { page, fetching }
    }

    async fn fetched(self, fetch: &FetchPage<T>) -> Result<Fetched<T>, Error> {
        let mut task = match self.fetching {
            Fetching::Inline(future) => return future.await,
            Fetching::Task(task) => task,
        };
        match (&mut task.0).await {
            Ok(fetched) => fetched,
            Err(error) => match error.try_into_panic() {
                Ok(panic) => std::panic::resume_unwind(panic),
                // Cancelled by the runtime shutting down: fetch it here instead.
                Err(_) => fetch(self.page).await,
            },
        }
    }
}

struct Cursor<T> {
    fetch: FetchPage<T>,
    /// The next page to request, once it is known to exist.
    next: Option<Page>,
    /// Pages requested and not yet used, oldest first.
    requested: VecDeque<Requested<T>>,
    /// Items of the page being used.
    buffer: VecDeque<T>,
    /// Items still to yield under `max_items`.
    remaining: Option<u64>,
    /// Items still to request under `max_items`: pages already requested
    /// count as delivered in full.
    unrequested: Option<u64>,
    /// `X-Total-Count` of the first page: later pages do not ask for it,
    /// so it is remembered to stop before a page past the end.
    total: Option<u64>,
    ahead: Ahead,
    /// The first page's number, to count the items before a numbered page.
    first_number: Option<u64>,
    /// Why the page after the last one received cannot be requested, yielded
    /// once its items are used.
    failure: Option<Error>,
}

impl<T: Send + 'static> Cursor<T> {
    /// Requests pages while the window allows and the next one is known.
    fn request_ahead(&mut self) {
        let window = match self.ahead {
            Ahead::Nothing if self.buffer.is_empty() => 1,
            Ahead::Nothing => 0,
            Ahead::Pages(pages) => pages,
        };
        while self.requested.len() < window && self.unrequested != Some(0) {
            let Some(mut page) = self.next.take() else { return };
            if let (Page::Offset { limit, .. } | Page::After { limit: Some(limit), .. }, Some(left)) =
                (&mut page, self.unrequested)
            {
                *limit = (*limit).min(left);
            }
            if let (Some(left), Page::Offset { limit: size, .. } | Page::Number { size, .. }) =
                (self.unrequested, &page)
            {
                self.unrequested = Some(left.saturating_sub(*size));
            }
            // With a total, the next page is known before this one arrives;
            // a short page then ends the stream and drops the pages after it.
            self.next = self.total.and_then(|total| self.after(&page, None, total));
            self.requested.push_back(Requested::start(&self.fetch, page));
        }
    }

    /// The page after `page`, assuming it holds `count` items (all it asked
    /// for when `None`), if the total says there is one.
    fn after(&self, page: &Page, count: Option<u64>, total: u64) -> Option<Page> {
        match *page {
            Page::Offset { offset, limit, .. } => {
                let offset = offset + count.unwrap_or(limit);
                (offset < total).then_some(Page::Offset { offset, limit, count: false })
            }
            Page::Number { number, size } => {
                let before = (number + 1 - self.first_number.unwrap_or(number)).saturating_mul(size);
                (before < total).then_some(Page::Number { number: number + 1, size })
            }
            Page::Token(_) | Page::After { .. } => None,
        }
    }

    /// Takes in the page that arrived and decides what comes after it.
    fn arrived(&mut self, page: Page, fetched: Fetched<T>) {
        let total = fetched.total.or(self.total);
        self.total = total;
        let count = fetched.items.len() as u64;
        if let (Page::Token(_) | Page::After { .. }, Some(left)) = (&page, self.unrequested) {
            self.unrequested = Some(left.saturating_sub(count));
        }
        // A short page is the last; a token page is the last when it names no next one.
        let last = match page {
            Page::Offset { limit: size, .. } | Page::Number { size, .. } => count == 0 || count < size,
            Page::Token(_) => false,
            // Not at the total: a search engine may cap the total it reports
            // (Elasticsearch at 10,000 by default), and paging past such a cap
            // is what search-after is for. A short or empty page is the end.
            Page::After { limit, .. } => count == 0 || limit.is_some_and(|limit| count < limit),
        };
        if last {
            // Whatever was requested after the last page is past the end.
            self.finish();
        } else if self.requested.is_empty() && self.next.is_none() {
            self.next = match page {
                Page::Offset { .. } | Page::Number { .. } => self.after(&page, Some(count), total.unwrap_or(u64::MAX)),
                // A token that repeats would ask for the same page forever.
                Page::Token(previous) => fetched
                    .next_token
                    .filter(|next| !next.is_empty() && Some(next) != previous.as_ref())
                    .map(|next| Page::Token(Some(next))),
                // The same values again would ask for the same page forever.
                Page::After { values: previous, limit, .. } => match fetched.next_after {
                    Some(Ok(values)) if Some(&values) != previous.as_ref() => {
                        Some(Page::After { values: Some(values), limit, count: false })
                    }
                    Some(Ok(_)) | None => None,
                    Some(Err(error)) => {
                        self.failure = Some(error);
                        None
                    }
                },
            };
        }
        self.buffer = fetched.items.into();
    }

    /// Requests no more pages, and drops (aborting) those requested.
    fn finish(&mut self) {
        self.requested.clear();
        self.next = None;
    }
}

fn start<T: Send + 'static>(
    fetch: FetchPage<T>,
    first: Page,
    max_items: Option<u64>,
    ahead: Ahead,
) -> BoxStream<'static, Result<T, Error>> {
    let first_number = match first {
        Page::Number { number, .. } => Some(number),
        _ => None,
    };
    let cursor = Cursor {
        fetch,
        next: Some(first),
        requested: VecDeque::new(),
        buffer: VecDeque::new(),
        remaining: max_items,
        unrequested: max_items,
        total: None,
        ahead,
        first_number,
        failure: None,
    };
    stream::unfold(cursor, |mut cursor| async move {
        loop {
            if cursor.remaining == Some(0) {
                return None;
            }
            cursor.request_ahead();
            if let Some(item) = cursor.buffer.pop_front() {
                cursor.remaining = cursor.remaining.map(|left| left - 1);
                return Some((Ok(item), cursor));
            }
            if let Some(error) = cursor.failure.take() {
                cursor.finish();
                return Some((Err(error), cursor));
            }
            let requested = cursor.requested.pop_front()?;
            let page = requested.page.clone();
            match requested.fetched(&cursor.fetch).await {
                Ok(fetched) => cursor.arrived(page, fetched),
                Err(error) => {
                    cursor.finish();
                    return Some((Err(error), cursor));
                }
            }
        }
    })
    .boxed()
}

impl<T: Send + 'static> Stream for Items<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // The first poll starts the stream, so `max_items` can still be set before it.
        self.state = match std::mem::replace(&mut self.state, State::Spent) {
            State::Ready { fetch, first, max_items, ahead } => State::Running(start(fetch, first, max_items, ahead)),
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
            State::Ready { first, max_items, ahead, .. } => {
                let at = match first {
                    Page::Offset { offset, .. } => format!("offset {offset}"),
                    Page::Number { number, .. } => format!("page {number}"),
                    Page::Token(None) => "the first page".to_owned(),
                    Page::Token(Some(token)) => format!("page token {token:?}"),
                    Page::After { values: None, .. } => "the first page".to_owned(),
                    Page::After { values: Some(values), .. } => format!("the page after {values:?}"),
                };
                format!("ready at {at} (max items {max_items:?}, ahead {ahead:?})")
            }
            State::Running(_) => "running".to_owned(),
            State::Spent => "spent".to_owned(),
        };
        f.debug_struct("Items").field("state", &state).finish()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use futures_util::TryStreamExt;
    use serde_json::json;

    use super::*;

    fn keys(sort: &[&str]) -> Vec<String> {
        sort.iter().map(|key| (*key).to_owned()).collect()
    }

    #[test]
    fn the_tiebreak_ends_the_sort_unless_the_caller_names_it() {
        assert_eq!(sort_sent(&keys(&["name", "-created"]), "id"), ["name", "-created", "id"]);
        assert_eq!(sort_sent(&[], "id"), ["id"]);
        for named in [["-id"], ["+id"], ["id"]] {
            assert_eq!(sort_sent(&keys(&named), "id"), named, "no second `id`");
        }
        // Only the whole field counts: `idx` and `manager.id` are other fields.
        assert_eq!(sort_sent(&keys(&["idx", "manager.id"]), "id"), ["idx", "manager.id", "id"]);
    }

    #[test]
    fn sort_values_follow_dotted_keys_and_write_scalars_as_text() {
        let item = json!({"id": "2c9", "name": "Ann", "manager": {"name": "Bo"}, "level": 3, "active": true});
        let values = sort_values("search", &item, &keys(&["name", "-manager.name", "+level", "active", "id"]));
        assert_eq!(values.unwrap(), ["Ann", "Bo", "3", "true", "2c9"]);
    }

    #[test]
    fn a_sort_key_without_a_value_is_a_paging_error_naming_it() {
        let item = json!({"id": "2c9", "name": null, "tags": ["a"], "manager": {}});
        for (key, field) in
            [("-name", "name"), ("created", "created"), ("manager.name", "manager.name"), ("tags", "tags")]
        {
            let error = sort_values("search", &item, &keys(&[key, "id"])).unwrap_err();
            assert!(matches!(error, Error::Paging { operation: "search", .. }), "{error:?}");
            let message = error.to_string();
            assert!(
                message.starts_with("search: cannot request the next page") && message.contains(&format!("`{field}`")),
                "{message}"
            );
        }
    }

    /// A page served: its items, and the values its last item sorts by
    /// (`Err` for an item without them).
    type Served = (Vec<u64>, Option<Result<Vec<String>, &'static str>>);

    /// Pages served from `pages` in order, recording each request.
    fn served(
        pages: Vec<Served>,
        total: Option<u64>,
    ) -> (impl Fn(Page) -> PageFuture<u64> + Send + Sync + 'static, Arc<Mutex<Vec<Page>>>) {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        let fetch = move |page: Page| -> PageFuture<u64> {
            let mut requests = seen.lock().unwrap();
            let (items, next_after) = pages.get(requests.len()).cloned().unwrap_or_default();
            requests.push(page);
            let next_after = next_after
                .map(|next| next.map_err(|message| Error::Paging { operation: "search", message: message.to_owned() }));
            Box::pin(async move { Ok(Fetched { items, total, next_token: None, next_after }) })
        };
        (fetch, requests)
    }

    fn after(values: &[&str]) -> Option<Result<Vec<String>, &'static str>> {
        Some(Ok(keys(values)))
    }

    fn first(limit: Option<u64>) -> Page {
        Page::After { values: None, limit, count: true }
    }

    #[tokio::test]
    async fn search_after_pages_start_after_the_last_values_and_end_on_a_short_page() {
        let (fetch, requests) = served(vec![(vec![1, 2], after(&["b", "2"])), (vec![3], after(&["c", "3"]))], None);
        let got: Vec<u64> = items(fetch, first(Some(2))).try_collect().await.unwrap();
        assert_eq!(got, [1, 2, 3]);
        assert_eq!(
            *requests.lock().unwrap(),
            [first(Some(2)), Page::After { values: Some(keys(&["b", "2"])), limit: Some(2), count: false }]
        );
    }

    #[tokio::test]
    async fn search_after_pages_without_a_size_end_on_an_empty_page_not_at_a_capped_total() {
        let (fetch, requests) = served(vec![(vec![1], after(&["1"])), (vec![2], after(&["2"]))], None);
        let got: Vec<u64> = items(fetch, first(None)).try_collect().await.unwrap();
        assert_eq!((got, requests.lock().unwrap().len()), (vec![1, 2], 3), "the third page is empty");
        // A total of 1 (a cap, as search engines report past their window) ends nothing.
        let (fetch, requests) = served(vec![(vec![1], after(&["1"])), (vec![2], after(&["2"]))], Some(1));
        let got: Vec<u64> = items(fetch, first(None)).try_collect().await.unwrap();
        assert_eq!((got, requests.lock().unwrap().len()), (vec![1, 2], 3), "paged past the total");
    }

    #[tokio::test]
    async fn search_after_values_repeated_end_the_stream() {
        let (fetch, requests) = served(vec![(vec![1], after(&["1"])), (vec![1], after(&["1"]))], None);
        let got: Vec<u64> = items(fetch, first(Some(1))).try_collect().await.unwrap();
        assert_eq!((got, requests.lock().unwrap().len()), (vec![1, 1], 2));
    }

    #[tokio::test]
    async fn a_last_item_without_sort_values_fails_after_its_page() {
        let (fetch, requests) = served(vec![(vec![1, 2], Some(Err("no `name`")))], None);
        let mut stream = items(fetch, first(Some(2)));
        assert_eq!(stream.try_next().await.unwrap(), Some(1));
        assert_eq!(stream.try_next().await.unwrap(), Some(2));
        let error = stream.try_next().await.unwrap_err();
        assert!(error.to_string().contains("no `name`"), "{error}");
        assert!(stream.try_next().await.unwrap().is_none());
        assert_eq!(requests.lock().unwrap().len(), 1);
    }

    #[test]
    fn debug_names_where_a_search_after_stream_starts() {
        let (fetch, _) = served(Vec::new(), None);
        let start = Page::After { values: Some(keys(&["Ann", "2c9"])), limit: None, count: false };
        let debug = format!("{:?}", items(fetch, start));
        assert!(debug.contains(r#"the page after [\"Ann\", \"2c9\"]"#), "{debug}");
    }
}
