//! Following `NextToken`: a stream of pages that ends at the last page, at a maximum number of
//! items, or when the service hands back a token it already gave (which would loop forever);
//! [`ResumeToken`], the AWS CLI's token for resuming a listing cut short (botocore's paginator,
//! `botocore/paginate.py`, written and read byte for byte the same, so a token from either
//! tool resumes in the other); and [`prefetch`], which fetches the next pages while the caller
//! works on the current one.

use std::collections::HashSet;
use std::future::Future;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use serde_json::Value;

use super::Error;

/// One page: its items and the token of the next page.
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_token: Option<String>,
}

/// One page as a resumable listing hands it over: its items and, on the last page of a
/// listing that `max_items` cut short, where the rest starts.
pub struct Listed<T> {
    pub items: Vec<T>,
    pub resume: Option<ResumeToken>,
}

/// Where a listing resumes: the service's NextToken of a page (`None`: the first page) and how
/// many of that page's items were already handed over. The AWS CLI prints it as `NextToken`
/// and reads it back from `--starting-token`: base64 of the JSON botocore's `TokenEncoder`
/// writes, `{"NextToken": …}` with `"boto_truncate_amount": N` when cut mid-page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResumeToken {
    pub next_token: Option<String>,
    /// Items of the page at `next_token` to skip (`boto_truncate_amount`).
    pub skip: usize,
}

impl ResumeToken {
    /// The token as the AWS CLI prints it. botocore writes `boto_truncate_amount` only for a
    /// listing cut mid-page, where it is never 0 (at least one item of the page was kept).
    pub fn encode(&self) -> String {
        let mut json = String::from("{\"NextToken\": ");
        match &self.next_token {
            Some(token) => push_python_json_string(token, &mut json),
            None => json.push_str("null"),
        }
        if self.skip > 0 {
            json.push_str(&format!(", \"boto_truncate_amount\": {}", self.skip));
        }
        json.push('}');
        STANDARD.encode(json)
    }

    /// Reads a token [`ResumeToken::encode`] or the AWS CLI wrote (surrounding blanks
    /// ignored); the error says which rule it breaks.
    pub fn decode(text: &str) -> Result<ResumeToken, String> {
        const RULE: &str = "must be the NextToken a listing cut short by --max-items printed \
                            (pcinbox's or the AWS CLI's)";
        let broken = |why: &str| format!("{RULE}: {why}");
        let json = STANDARD
            .decode(text.trim())
            .map_err(|_| broken("it is not base64"))?;
        let fields = match serde_json::from_slice::<Value>(&json) {
            Ok(Value::Object(fields)) => fields,
            _ => return Err(broken("it does not hold a JSON object")),
        };
        let mut token = ResumeToken::default();
        let mut named = false;
        for (key, value) in fields {
            match (key.as_str(), value) {
                ("NextToken", Value::String(next)) => {
                    token.next_token = Some(next);
                    named = true;
                }
                ("NextToken", Value::Null) => named = true,
                ("NextToken", _) => return Err(broken("its NextToken is not a string or null")),
                ("boto_truncate_amount", Value::Number(amount)) if amount.is_u64() => {
                    token.skip = usize::try_from(amount.as_u64().unwrap_or_default())
                        .map_err(|_| broken("its boto_truncate_amount is too large"))?;
                }
                ("boto_truncate_amount", _) => {
                    return Err(broken(
                        "its boto_truncate_amount is not a whole number of 0 or more",
                    ));
                }
                (other, _) => {
                    return Err(broken(&format!(
                        "it holds `{other}`, which no such token has"
                    )));
                }
            }
        }
        if named {
            Ok(token)
        } else {
            Err(broken("it holds no NextToken"))
        }
    }
}

/// Appends `text` as a JSON string the way Python's `json.dumps` writes it (`ensure_ascii`):
/// every character outside printable ASCII as `\uXXXX` (UTF-16, lowercase hex).
fn push_python_json_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
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
    let start = ResumeToken {
        next_token: first_token,
        skip: 0,
    };
    paginate_from(start, max_items, fetch)
        .map_ok(|page| page.items)
        .boxed()
}

/// Pages from `fetch(token)` as botocore's paginator takes them: from `start` (its first
/// `skip` items left out), the page that reaches `max_items` truncated there. When items
/// remain past `max_items` (on that page or a next one), its [`Listed::resume`] says where
/// they start. An error ends the stream after being yielded.
pub fn paginate_from<T, F, Fut>(
    start: ResumeToken,
    max_items: Option<usize>,
    fetch: F,
) -> BoxStream<'static, Result<Listed<T>, Error>>
where
    T: Send + 'static,
    F: Fn(Option<String>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Page<T>, Error>> + Send + 'static,
{
    struct State<F> {
        fetch: F,
        token: Option<String>,
        /// Items of the next page already handed over (the first page's only).
        skip: usize,
        remaining: Option<usize>,
        seen: HashSet<String>,
        done: bool,
    }
    let state = State {
        fetch,
        seen: start.next_token.iter().cloned().collect(),
        token: start.next_token,
        skip: start.skip,
        remaining: max_items,
        done: max_items == Some(0),
    };
    futures::stream::unfold(state, |mut state| async move {
        if state.done {
            return None;
        }
        let page = match (state.fetch)(state.token.clone()).await {
            Ok(page) => page,
            Err(error) => {
                state.done = true;
                return Some((Err(error), state));
            }
        };
        let skipped = std::mem::take(&mut state.skip);
        let mut items = page.items;
        items.drain(..skipped.min(items.len()));
        if let Some(remaining) = state.remaining
            && items.len() > remaining
        {
            // Cut mid-page: the rest starts on this same page, after what was kept.
            items.truncate(remaining);
            state.done = true;
            let resume = ResumeToken {
                next_token: state.token.take(),
                skip: skipped + remaining,
            };
            return Some((
                Ok(Listed {
                    items,
                    resume: Some(resume),
                }),
                state,
            ));
        }
        let mut resume = None;
        if let Some(remaining) = state.remaining.as_mut() {
            *remaining -= items.len();
        }
        match page.next_token.filter(|t| !t.is_empty()) {
            None => state.done = true,
            // At a page boundary: the rest starts at the next page.
            Some(token) if state.remaining == Some(0) => {
                state.done = true;
                resume = Some(ResumeToken {
                    next_token: Some(token),
                    skip: 0,
                });
            }
            Some(token) if !state.seen.insert(token.clone()) => {
                tracing::warn!("the service repeated a NextToken; stopping the listing there");
                state.done = true;
            }
            Some(token) => state.token = Some(token),
        }
        Some((Ok(Listed { items, resume }), state))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Each string is what botocore 1.43's `TokenEncoder().encode(token)` returns, the token
    /// being the dict shown: `base64(json.dumps(token))`, keys in insertion order.
    #[test]
    fn tokens_are_written_byte_for_byte_as_botocore_writes_them() {
        for (token, botocore) in [
            // {"NextToken": None, "boto_truncate_amount": 3}
            (
                ResumeToken {
                    next_token: None,
                    skip: 3,
                },
                "eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAzfQ==",
            ),
            // {"NextToken": "eyJ0IjoxfQ", "boto_truncate_amount": 12}
            (
                ResumeToken {
                    next_token: Some("eyJ0IjoxfQ".to_owned()),
                    skip: 12,
                },
                "eyJOZXh0VG9rZW4iOiAiZXlKMElqb3hmUSIsICJib3RvX3RydW5jYXRlX2Ftb3VudCI6IDEyfQ==",
            ),
            // {"NextToken": "abc/+=def"}
            (
                ResumeToken {
                    next_token: Some("abc/+=def".to_owned()),
                    skip: 0,
                },
                "eyJOZXh0VG9rZW4iOiAiYWJjLys9ZGVmIn0=",
            ),
            // {"NextToken": "q\"\\\n\t\x01\x7fé€😀"}: json.dumps escapes all but printable ASCII.
            (
                ResumeToken {
                    next_token: Some("q\"\\\n\t\u{1}\u{7f}é€😀".to_owned()),
                    skip: 0,
                },
                "eyJOZXh0VG9rZW4iOiAicVwiXFxcblx0XHUwMDAxXHUwMDdmXHUwMGU5XHUyMGFjXHVkODNkXHVkZTAwIn0=",
            ),
        ] {
            assert_eq!(token.encode(), botocore, "{token:?}");
            assert_eq!(ResumeToken::decode(botocore), Ok(token));
        }
    }

    #[test]
    fn tokens_written_otherwise_are_read_too() {
        let encode = |json: &str| STANDARD.encode(json);
        assert_eq!(
            ResumeToken::decode(&encode(r#"{"boto_truncate_amount":2,"NextToken":"x"}"#)),
            Ok(ResumeToken {
                next_token: Some("x".to_owned()),
                skip: 2
            })
        );
        assert_eq!(
            ResumeToken::decode(&format!("  {}\n", encode(r#"{"NextToken": null}"#))),
            Ok(ResumeToken::default()),
            "blanks around a pasted token are ignored"
        );
    }

    #[test]
    fn malformed_tokens_name_the_rule_they_break() {
        let encode = |json: &str| STANDARD.encode(json);
        for (text, why) in [
            ("not a token!", "not base64"),
            (&encode("[1]"), "does not hold a JSON object"),
            (&encode("{"), "does not hold a JSON object"),
            (
                &encode(r#"{"boto_truncate_amount": 1}"#),
                "holds no NextToken",
            ),
            (
                &encode(r#"{"NextToken": 5}"#),
                "NextToken is not a string or null",
            ),
            (
                &encode(r#"{"NextToken": "x", "boto_truncate_amount": -1}"#),
                "boto_truncate_amount is not a whole number",
            ),
            (
                &encode(r#"{"NextToken": "x", "boto_truncate_amount": 1.5}"#),
                "boto_truncate_amount is not a whole number",
            ),
            (
                &encode(r#"{"NextToken": "x", "Marker": "y"}"#),
                "holds `Marker`",
            ),
        ] {
            let error = ResumeToken::decode(text).unwrap_err();
            assert!(
                error.contains("--max-items") && error.contains(why),
                "{text}: {error}"
            );
        }
    }

    /// A listing of `items` served `page_size` at a time, the token being the next offset.
    fn numbers(
        items: usize,
        page_size: usize,
    ) -> impl Fn(Option<String>) -> std::future::Ready<Result<Page<usize>, Error>> {
        move |token| {
            let start: usize = token.map_or(0, |t| t.parse().unwrap());
            let end = (start + page_size).min(items);
            std::future::ready(Ok(Page {
                items: (start..end).collect(),
                next_token: (end < items).then(|| end.to_string()),
            }))
        }
    }

    /// The pages' items and the resume token of a listing.
    async fn listed(
        start: ResumeToken,
        max_items: Option<usize>,
        fetch: impl Fn(Option<String>) -> std::future::Ready<Result<Page<usize>, Error>>
        + Send
        + 'static,
    ) -> (Vec<Vec<usize>>, Option<ResumeToken>) {
        let pages: Vec<Listed<usize>> = paginate_from(start, max_items, fetch)
            .try_collect()
            .await
            .unwrap();
        let resume = pages.iter().find_map(|page| page.resume.clone());
        (pages.into_iter().map(|page| page.items).collect(), resume)
    }

    fn at(next_token: Option<&str>, skip: usize) -> ResumeToken {
        ResumeToken {
            next_token: next_token.map(str::to_owned),
            skip,
        }
    }

    #[tokio::test]
    async fn a_listing_cut_mid_page_resumes_on_that_page_after_what_was_kept() {
        let (pages, resume) = listed(at(None, 0), Some(5), numbers(10, 4)).await;
        assert_eq!(pages, [vec![0, 1, 2, 3], vec![4]]);
        assert_eq!(resume, Some(at(Some("4"), 1)));
        let (pages, resume) = listed(at(Some("4"), 1), Some(5), numbers(10, 4)).await;
        assert_eq!(pages, [vec![5, 6, 7], vec![8, 9]]);
        assert_eq!(resume, None, "the end was reached");
        // Skipped and cut on the same page: the skip counts too.
        let (pages, resume) = listed(at(Some("4"), 1), Some(2), numbers(10, 4)).await;
        assert_eq!(pages, [vec![5, 6]]);
        assert_eq!(resume, Some(at(Some("4"), 3)));
        // The first page has no token.
        let (pages, resume) = listed(at(None, 0), Some(3), numbers(10, 4)).await;
        assert_eq!(pages, [vec![0, 1, 2]]);
        assert_eq!(resume, Some(at(None, 3)));
    }

    #[tokio::test]
    async fn a_listing_cut_at_a_page_boundary_resumes_at_the_next_page() {
        let (pages, resume) = listed(at(None, 0), Some(4), numbers(10, 4)).await;
        assert_eq!(pages, [vec![0, 1, 2, 3]]);
        assert_eq!(resume, Some(at(Some("4"), 0)));
        // The rest of a page resumed from mid-page, then a whole page.
        let (pages, resume) = listed(at(Some("2"), 2), Some(2), numbers(12, 4)).await;
        assert_eq!(pages, [vec![4, 5]]);
        assert_eq!(resume, Some(at(Some("6"), 0)));
        let (pages, resume) = listed(at(Some("2"), 2), Some(6), numbers(12, 4)).await;
        assert_eq!(pages, [vec![4, 5], vec![6, 7, 8, 9]]);
        assert_eq!(resume, Some(at(Some("10"), 0)));
        // Nothing left past the last page: no token, as in botocore.
        let (pages, resume) = listed(at(None, 0), Some(8), numbers(8, 4)).await;
        assert_eq!(pages, [vec![0, 1, 2, 3], vec![4, 5, 6, 7]]);
        assert_eq!(resume, None);
        let (pages, resume) = listed(at(None, 0), None, numbers(5, 2)).await;
        assert_eq!(pages, [vec![0, 1], vec![2, 3], vec![4]]);
        assert_eq!(resume, None);
    }

    #[tokio::test]
    async fn a_repeated_token_ends_the_listing() {
        let looping = |_| {
            std::future::ready(Ok(Page {
                items: vec![1],
                next_token: Some("same".to_owned()),
            }))
        };
        let (pages, resume) = listed(at(None, 0), None, looping).await;
        assert_eq!(pages, [vec![1], vec![1]]);
        assert_eq!(resume, None);
    }
}
