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
    /// partial document); text prints each page as it arrives, as the AWS CLI does.
    pub async fn listing<S>(
        &self,
        out: &mut dyn Write,
        result_key: &str,
        mut pages: S,
        table: impl FnOnce(Vec<Value>) -> Result<String, OutputError>,
    ) -> Result<(), OutputError>
    where
        S: Stream<Item = Result<Vec<Box<RawValue>>, crate::api::Error>> + Unpin,
    {
        match (self.format, self.query) {
            (OutputFormat::Csv, _) => return Err(csv_only_for_list()),
            // The common case, kept lean: each page reformatted as it arrives, with no
            // intermediate values (a listing of 10,000 is 8.5 MB of JSON).
            (OutputFormat::Json, None) => {
                let mut json = ListingJson::new(result_key);
                while let Some(page) = pages.next().await {
                    for item in &page? {
                        json.push_raw(item)?;
                    }
                }
                out.write_all(&json.finish()?)?;
            }
            (OutputFormat::Text, query) => {
                let mut out = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
                let mut printed = String::new();
                while let Some(page) = pages.next().await {
                    let page = Value::Object(keyed(result_key, parse_items(&page?)?));
                    match query {
                        Some(query) => text::format(
                            &query.search(&page).map_err(OutputError::Query)?,
                            &mut printed,
                        ),
                        None => text::format(&page, &mut printed),
                    }
                    out.write_all(printed.as_bytes())?;
                    printed.clear();
                }
                out.flush()?;
            }
            (OutputFormat::Table, None) => {
                let items = merged_items(&mut pages).await?;
                out.write_all(table(items)?.as_bytes())?;
            }
            // JSON and table with a query: the query over the merged result.
            (_, Some(query)) => {
                let merged = Value::Object(keyed(result_key, merged_items(&mut pages).await?));
                let result = query.search(&merged).map_err(OutputError::Query)?;
                self.print(out, &result, table::document)?;
            }
        }
        out.flush()?;
        Ok(())
    }

    /// `list`'s invitations: as [`Output::listing`] does, or as CSV rows (each page written as
    /// it arrives, as text is). A query cannot reshape CSV's fixed columns, so it is refused.
    pub async fn invitations<S>(
        &self,
        out: &mut dyn Write,
        mut pages: S,
        table: impl FnOnce(Vec<Value>) -> Result<String, OutputError>,
    ) -> Result<(), OutputError>
    where
        S: Stream<Item = Result<Vec<Box<RawValue>>, crate::api::Error>> + Unpin,
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
        while let Some(page) = pages.next().await {
            for item in &page? {
                let summary: EngagementInvitationSummary = serde_json::from_str(item.get())
                    .map_err(|e| crate::api::Error::Decode(format!("listing item: {e}")))?;
                csv.write(&summary)?;
            }
        }
        csv.finish()?.flush()?;
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

/// Every page's items, in order.
async fn merged_items<S>(pages: &mut S) -> Result<Vec<Value>, OutputError>
where
    S: Stream<Item = Result<Vec<Box<RawValue>>, crate::api::Error>> + Unpin,
{
    let mut items = Vec::new();
    while let Some(page) = pages.next().await {
        items.extend(parse_items(&page?)?);
    }
    Ok(items)
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

    fn pages(
        pages: &[&[Value]],
    ) -> impl Stream<Item = Result<Vec<Box<RawValue>>, crate::api::Error>> + Unpin {
        let pages: Vec<_> = pages
            .iter()
            .map(|items| {
                Ok(items
                    .iter()
                    .map(|item| RawValue::from_string(item.to_string()).unwrap())
                    .collect())
            })
            .collect();
        futures::stream::iter(pages)
    }

    async fn print(format: OutputFormat, query: Option<&str>, listing: &[&[Value]]) -> String {
        let query = query.map(|q| Query::parse(q).unwrap());
        let output = Output {
            format,
            query: query.as_ref(),
        };
        let mut out = Vec::new();
        output
            .listing(&mut out, "Items", pages(listing), |items| {
                Ok(format!("{} items\n", items.len()))
            })
            .await
            .unwrap();
        String::from_utf8(out).unwrap()
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
}
