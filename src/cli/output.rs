//! Printing a command's result in the chosen format, with `--query` applied where the AWS CLI
//! applies it (awscli/formatter.py): JSON and table format the whole result (a listing's pages
//! merged under its result key) after the query; text formats each page as it arrives, the
//! query applied to each page on its own.
//!
//! Generic over any operation's JSON: a command hands over its response, or its pages and
//! result key, and the human table it would print without a query.

use std::io::Write;

use futures::{Stream, StreamExt};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::json::ListingJson;
use super::query::Query;
use super::{table, text};
use crate::api::model::EngagementInvitationSummary;
use crate::api::pagination::{Listed, ResumeToken};
use crate::config::OutputFormat;
use crate::invitation_csv::CsvWriter;

/// Why printing failed.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(transparent)]
    Api(#[from] crate::api::Error),
    /// The query met data it cannot apply to (a function given the wrong type).
    #[error("{0}")]
    Query(String),
    /// The format does not fit this command (CSV of anything but invitations).
    #[error("{0}")]
    Refused(String),
    #[error("cannot write the output: {0}")]
    Io(#[from] std::io::Error),
}

/// CSV has fixed columns, those of an invitation.
pub(super) fn csv_only_for_list() -> OutputError {
    OutputError::Refused(
        "--output csv is for `list` only (its columns are an invitation's); use json, text or table"
            .to_owned(),
    )
}

/// How results are printed: the format and the `--query`, if any.
#[derive(Clone, Copy, Debug)]
pub struct Output<'a> {
    pub format: OutputFormat,
    pub query: Option<&'a Query>,
}

impl Output<'_> {
    /// One response (`get`, `create`…). `table` is the command's own view for people, used
    /// when no query reshapes the result.
    pub fn response(
        &self,
        out: &mut dyn Write,
        response: &Value,
        table: impl FnOnce(&Value) -> String,
    ) -> Result<(), OutputError> {
        match self.query {
            Some(query) => {
                let result = query.search(response).map_err(OutputError::Query)?;
                self.print(out, &result, table::document)?;
            }
            None => self.print(out, response, table)?,
        }
        out.flush()?;
        Ok(())
    }

    /// A paginated listing: `pages` hold the items of `result_key`, as the service sent them.
    /// `table` is the command's own view of all the items, used when no query reshapes them.
    /// JSON and table print nothing until the last page is in (a failed listing prints no
    /// partial document); text prints each page as it arrives, as the AWS CLI does. A listing
    /// cut short by `--max-items` ends with its NextToken where the AWS CLI prints it: a member
    /// of the merged result (which the query sees) for JSON and table, a `NEXTTOKEN` line
    /// (through the query) for text.
    pub async fn listing<S>(
        &self,
        out: &mut dyn Write,
        result_key: &str,
        mut pages: S,
        table: impl FnOnce(Vec<Value>) -> Result<String, OutputError>,
    ) -> Result<(), OutputError>
    where
        S: Stream<Item = Result<Listed<Box<RawValue>>, crate::api::Error>> + Unpin,
    {
        match (self.format, self.query) {
            (OutputFormat::Csv, _) => return Err(csv_only_for_list()),
            // The common case, kept lean: each page reformatted as it arrives, with no
            // intermediate values (a listing of 10,000 is 8.5 MB of JSON).
            (OutputFormat::Json, None) => {
                let mut json = ListingJson::new(result_key);
                let mut resume = None;
                while let Some(page) = pages.next().await {
                    let page = page?;
                    for item in &page.items {
                        json.push_raw(item)?;
                    }
                    resume = resume.or(page.resume);
                }
                let next_token = resume.as_ref().map(ResumeToken::encode);
                out.write_all(&json.finish(next_token.as_deref())?)?;
            }
            (OutputFormat::Text, _) => {
                let mut out = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
                let mut printed = String::new();
                let mut resume = None;
                while let Some(page) = pages.next().await {
                    let page = page?;
                    resume = resume.or(page.resume);
                    let items = Value::Object(keyed(result_key, parse_items(&page.items)?));
                    self.print_text(&items, &mut printed)?;
                    out.write_all(printed.as_bytes())?;
                    printed.clear();
                }
                // As awscli's TextFormatter: the token under a heading of its own.
                if let Some(resume) = resume {
                    let next_token =
                        serde_json::json!({"NextToken": {"NextToken": resume.encode()}});
                    self.print_text(&next_token, &mut printed)?;
                    out.write_all(printed.as_bytes())?;
                }
                out.flush()?;
            }
            (OutputFormat::Table, None) => {
                let (items, resume) = merged_items(&mut pages).await?;
                out.write_all(table(items)?.as_bytes())?;
                if let Some(resume) = resume {
                    let next_token = [("NextToken", resume.encode())];
                    out.write_all(table::key_values(&next_token).as_bytes())?;
                }
            }
            // JSON and table with a query: the query over the merged result.
            (_, Some(query)) => {
                let (items, resume) = merged_items(&mut pages).await?;
                let mut merged = keyed(result_key, items);
                if let Some(resume) = resume {
                    merged.insert("NextToken".to_owned(), Value::String(resume.encode()));
                }
                let result = query
                    .search(&Value::Object(merged))
                    .map_err(OutputError::Query)?;
                self.print(out, &result, table::document)?;
            }
        }
        out.flush()?;
        Ok(())
    }

    /// Appends the text form of `value`, reshaped by the query if any.
    fn print_text(&self, value: &Value, printed: &mut String) -> Result<(), OutputError> {
        match self.query {
            Some(query) => text::format(&query.search(value).map_err(OutputError::Query)?, printed),
            None => text::format(value, printed),
        }
        Ok(())
    }

    /// `list`'s invitations: as [`Output::listing`] does, or as CSV rows (each page written as
    /// it arrives, as text is). A query cannot reshape CSV's fixed columns, so it is refused;
    /// CSV has no place for a NextToken, so a listing cut short tells it on `err`.
    pub async fn invitations<S>(
        &self,
        out: &mut dyn Write,
        err: &mut dyn Write,
        mut pages: S,
        table: impl FnOnce(Vec<Value>) -> Result<String, OutputError>,
    ) -> Result<(), OutputError>
    where
        S: Stream<Item = Result<Listed<Box<RawValue>>, crate::api::Error>> + Unpin,
    {
        const RESULT_KEY: &str = "EngagementInvitationSummaries";
        if self.format != OutputFormat::Csv {
            return self.listing(out, RESULT_KEY, pages, table).await;
        }
        if self.query.is_some() {
            return Err(OutputError::Refused(
                "--query does not apply to --output csv (its columns are fixed); use --output json"
                    .to_owned(),
            ));
        }
        let mut csv = CsvWriter::new(std::io::BufWriter::with_capacity(1 << 16, &mut *out))?;
        let mut resume = None;
        while let Some(page) = pages.next().await {
            let page = page?;
            resume = resume.or(page.resume);
            for item in &page.items {
                let summary: EngagementInvitationSummary = serde_json::from_str(item.get())
                    .map_err(|e| crate::api::Error::Decode(format!("listing item: {e}")))?;
                csv.write(&summary)?;
            }
        }
        csv.finish()?.flush()?;
        if let Some(resume) = resume {
            writeln!(
                err,
                "pcinbox: more invitations remain: resume with --starting-token {}",
                resume.encode()
            )?;
        }
        Ok(())
    }

    /// Prints a result the query (if any) has been applied to.
    fn print(
        &self,
        out: &mut dyn Write,
        result: &Value,
        table: impl FnOnce(&Value) -> String,
    ) -> Result<(), OutputError> {
        match self.format {
            // As the AWS CLI: an empty object (a query that built nothing) prints nothing.
            OutputFormat::Json if result.as_object().is_some_and(Map::is_empty) => {}
            OutputFormat::Json => write_json(out, result)?,
            OutputFormat::Text => {
                let mut printed = String::new();
                text::format(result, &mut printed);
                out.write_all(printed.as_bytes())?;
            }
            OutputFormat::Table => out.write_all(table(result).as_bytes())?,
            OutputFormat::Csv => return Err(csv_only_for_list()),
        }
        Ok(())
    }
}

/// Every page's items, in order, and where the rest starts if the listing was cut short.
async fn merged_items<S>(pages: &mut S) -> Result<(Vec<Value>, Option<ResumeToken>), OutputError>
where
    S: Stream<Item = Result<Listed<Box<RawValue>>, crate::api::Error>> + Unpin,
{
    let mut items = Vec::new();
    let mut resume = None;
    while let Some(page) = pages.next().await {
        let page = page?;
        items.extend(parse_items(&page.items)?);
        resume = resume.or(page.resume);
    }
    Ok((items, resume))
}

fn keyed(key: &str, items: Vec<Value>) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert(key.to_owned(), Value::Array(items));
    map
}

fn parse_items(items: &[Box<RawValue>]) -> Result<Vec<Value>, OutputError> {
    items
        .iter()
        .map(|item| {
            serde_json::from_str(item.get())
                .map_err(|e| crate::api::Error::Decode(format!("listing item: {e}")).into())
        })
        .collect()
}

/// Writes `value` as the AWS CLI does: pretty JSON, 4-space indent, non-ASCII kept.
///
/// Buffered here: `out` is often a line-buffered stdout, and a listing of 10,000 invitations is
/// 300,000 lines (one `write` each unbuffered).
pub fn write_json(out: &mut dyn Write, value: &impl serde::Serialize) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    // `From` keeps the kind of an I/O error (a closed pipe stays `BrokenPipe`).
    value
        .serialize(&mut serializer)
        .map_err(std::io::Error::from)?;
    writeln!(out)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// The pages of a listing, the last one ending it at `resume` if given.
    fn pages(
        pages: &[&[Value]],
        resume: Option<ResumeToken>,
    ) -> impl Stream<Item = Result<Listed<Box<RawValue>>, crate::api::Error>> + Unpin {
        let last = pages.len().saturating_sub(1);
        let pages: Vec<_> = pages
            .iter()
            .enumerate()
            .map(|(n, items)| {
                Ok(Listed {
                    items: items
                        .iter()
                        .map(|item| RawValue::from_string(item.to_string()).unwrap())
                        .collect(),
                    resume: resume.clone().filter(|_| n == last),
                })
            })
            .collect();
        futures::stream::iter(pages)
    }

    async fn print_cut(
        format: OutputFormat,
        query: Option<&str>,
        listing: &[&[Value]],
        resume: Option<ResumeToken>,
    ) -> String {
        let query = query.map(|q| Query::parse(q).unwrap());
        let output = Output {
            format,
            query: query.as_ref(),
        };
        let mut out = Vec::new();
        output
            .listing(&mut out, "Items", pages(listing, resume), |items| {
                Ok(format!("{} items\n", items.len()))
            })
            .await
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    async fn print(format: OutputFormat, query: Option<&str>, listing: &[&[Value]]) -> String {
        print_cut(format, query, listing, None).await
    }

    #[tokio::test]
    async fn the_query_sees_all_pages_merged_for_json_and_table_and_each_page_for_text() {
        let listing: &[&[Value]] = &[
            &[json!({"Id": "a"}), json!({"Id": "b"})],
            &[json!({"Id": "c"})],
        ];
        let count = Some("length(Items)");
        assert_eq!(print(OutputFormat::Json, count, listing).await, "3\n");
        assert_eq!(print(OutputFormat::Table, count, listing).await, "3\n");
        assert_eq!(print(OutputFormat::Text, count, listing).await, "2\n1\n");
        let ids = Some("Items[].Id");
        assert_eq!(print(OutputFormat::Text, ids, listing).await, "a\tb\nc\n");
        assert_eq!(
            print(OutputFormat::Json, ids, listing).await,
            "[\n    \"a\",\n    \"b\",\n    \"c\"\n]\n"
        );
        // Without a query: the document as the AWS CLI prints it, or the command's own table.
        assert_eq!(
            print(OutputFormat::Json, None, listing).await,
            "{\n    \"Items\": [\n        {\n            \"Id\": \"a\"\n        },\n        {\n            \"Id\": \"b\"\n        },\n        {\n            \"Id\": \"c\"\n        }\n    ]\n}\n"
        );
        assert_eq!(print(OutputFormat::Table, None, listing).await, "3 items\n");
        assert_eq!(
            print(OutputFormat::Text, None, listing).await,
            "ITEMS\ta\nITEMS\tb\nITEMS\tc\n"
        );
        // An empty object from a query prints nothing in JSON, as in the AWS CLI.
        assert_eq!(print(OutputFormat::Json, Some("`{}`"), listing).await, "");
    }

    #[tokio::test]
    async fn a_listing_cut_short_ends_with_its_next_token_where_the_aws_cli_prints_it() {
        let listing: &[&[Value]] = &[&[json!({"Id": "a"})], &[json!({"Id": "b"})]];
        let resume = Some(ResumeToken {
            next_token: None,
            skip: 2,
        });
        let token = "eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAyfQ==";
        let cut = |format, query| print_cut(format, query, listing, resume.clone());
        assert_eq!(
            cut(OutputFormat::Json, None).await,
            format!(
                "{{\n    \"Items\": [\n        {{\n            \"Id\": \"a\"\n        }},\n        {{\n            \"Id\": \"b\"\n        }}\n    ],\n    \"NextToken\": \"{token}\"\n}}\n"
            )
        );
        assert_eq!(
            cut(OutputFormat::Text, None).await,
            format!("ITEMS\ta\nITEMS\tb\nNEXTTOKEN\t{token}\n")
        );
        assert_eq!(
            cut(OutputFormat::Table, None).await,
            format!("2 items\nNextToken  {token}\n")
        );
        // The query sees the token in the merged result (JSON, table), and meets it on its own
        // after the pages in text, as awscli's TextFormatter shows it (`None` where it picks
        // nothing).
        assert_eq!(
            cut(OutputFormat::Json, Some("NextToken")).await,
            format!("\"{token}\"\n")
        );
        assert_eq!(
            cut(OutputFormat::Json, Some("Items[].Id")).await,
            "[\n    \"a\",\n    \"b\"\n]\n"
        );
        assert_eq!(
            cut(OutputFormat::Text, Some("Items[].Id")).await,
            "a\nb\nNone\n"
        );
        assert_eq!(
            cut(OutputFormat::Text, Some("NextToken.NextToken")).await,
            format!("None\nNone\n{token}\n")
        );
    }
}
