//! Following `NextToken`: a stream of pages that ends at the last page, at a maximum number of
//! items, or when the service hands back a token it already gave (which would loop forever);
//! and [`prefetch`], which fetches the next pages while the caller works on the current one.

use std::collections::HashSet;
use std::future::Future;

use futures::StreamExt;
use futures::stream::BoxStream;

use super::Error;

/// One page: its items and the token of the next page.
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_token: Option<String>,
}

/// Pages from `fetch(token)`, starting at `first_token`; the last page is truncated so that at
/// most `max_items` items come out. An error ends the stream after being yielded.
pub fn paginate<T, F, Fut>(
    first_token: Option<String>,
    max_items: Option<usize>,
    fetch: F,
) -> BoxStream<'static, Result<Vec<T>, Error>>
where
    T: Send + 'static,
    F: Fn(Option<String>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page<T>, Error>> + Send + 'static,
{
    struct State<F> {
        fetch: F,
        token: Option<String>,
        remaining: Option<usize>,
        seen: HashSet<String>,
        done: bool,
    }
    let state = State {
        fetch,
        seen: first_token.iter().cloned().collect(),
        token: first_token,
        remaining: max_items,
        done: max_items == Some(0),
    };
    futures::stream::unfold(state, |mut state| async move {
        if state.done {
            return None;
        }
        let page = match (state.fetch)(state.token.take()).await {
            Ok(page) => page,
            Err(error) => {
                state.done = true;
                return Some((Err(error), state));
            }
        };
        let mut items = page.items;
        if let Some(remaining) = state.remaining.as_mut() {
            items.truncate(*remaining);
            *remaining -= items.len();
            state.done |= *remaining == 0;
        }
        match page.next_token.filter(|t| !t.is_empty()) {
            None => state.done = true,
            Some(token) if !state.seen.insert(token.clone()) => {
                tracing::warn!("the service repeated a NextToken; stopping the listing there");
                state.done = true;
            }
            Some(token) => state.token = Some(token),
        }
        Some((Ok(items), state))
    })
    .boxed()
}

/// The same pages, fetched by a task of their own up to `ahead` pages before they are taken, so
/// the next request is on the wire while the caller handles the current page. Dropping the
/// returned stream stops the fetching.
pub fn prefetch<T: Send + 'static>(
    mut pages: BoxStream<'static, T>,
    ahead: usize,
) -> BoxStream<'static, T> {
    let (sender, receiver) = tokio::sync::mpsc::channel(ahead.max(1));
    tokio::spawn(async move {
        while let Some(page) = pages.next().await {
            if sender.send(page).await.is_err() {
                break;
            }
        }
    });
    futures::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|page| (page, receiver))
    })
    .boxed()
}
