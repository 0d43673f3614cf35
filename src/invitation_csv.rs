//! Invitations as CSV rows (RFC 4180, a header row), for spreadsheets: `pcinbox list --output
//! csv` and the inbox's `E` (export the current view) both write through here, so the two agree
//! on columns and on how each field is written.
//!
//! Fields are written as the data holds them (the `csv` crate quotes what needs quoting), as JSON
//! output keeps them; an absent field is an empty cell. Dates are ISO 8601 UTC.

use std::io::Write;

use crate::api::model::EngagementInvitationSummary;

/// The columns, named as the service names the fields.
pub const HEADER: [&str; 11] = [
    "Id",
    "Status",
    "PayloadType",
    "EngagementTitle",
    "SenderCompanyName",
    "SenderAwsAccountId",
    "InvitationDate",
    "ExpirationDate",
    "EngagementId",
    "Catalog",
    "ParticipantType",
];

/// One invitation's cells, in [`HEADER`]'s order.
pub fn row(summary: &EngagementInvitationSummary) -> [String; 11] {
    fn text<T: ToString>(value: Option<&T>) -> String {
        value.map(ToString::to_string).unwrap_or_default()
    }
    [
        summary.id.clone(),
        text(summary.status.as_ref()),
        text(summary.payload_type.as_ref()),
        text(summary.engagement_title.as_ref()),
        text(summary.sender_company_name.as_ref()),
        text(summary.sender_aws_account_id.as_ref()),
        text(summary.invitation_date.as_ref()),
        text(summary.expiration_date.as_ref()),
        text(summary.engagement_id.as_ref()),
        summary.catalog.clone(),
        text(summary.participant_type.as_ref()),
    ]
}

/// Writes the header, then rows as they are given (a listing's pages, one after another).
pub struct CsvWriter<W: Write> {
    inner: csv::Writer<W>,
}

impl<W: Write> CsvWriter<W> {
    /// Starts the document with its header row.
    pub fn new(out: W) -> std::io::Result<Self> {
        let mut inner = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        inner.write_record(HEADER).map_err(into_io)?;
        Ok(CsvWriter { inner })
    }

    pub fn write(&mut self, summary: &EngagementInvitationSummary) -> std::io::Result<()> {
        self.inner.write_record(row(summary)).map_err(into_io)
    }

    /// Flushes what is buffered and gives the writer back.
    pub fn finish(self) -> std::io::Result<W> {
        self.inner.into_inner().map_err(|e| e.into_error())
    }
}

/// The whole document for `summaries`, in memory (the inbox's export).
pub fn document<'a>(
    summaries: impl IntoIterator<Item = &'a EngagementInvitationSummary>,
) -> std::io::Result<Vec<u8>> {
    let mut writer = CsvWriter::new(Vec::new())?;
    for summary in summaries {
        writer.write(summary)?;
    }
    writer.finish()
}

fn into_io(error: csv::Error) -> std::io::Error {
    match error.into_kind() {
        csv::ErrorKind::Io(error) => error,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::{InvitationStatus, PayloadType, Timestamp};

    fn summary(id: &str, title: &str) -> EngagementInvitationSummary {
        EngagementInvitationSummary {
            arn: None,
            payload_type: Some(PayloadType::OpportunityInvitation),
            id: id.to_owned(),
            engagement_id: Some("eng-1".to_owned()),
            engagement_title: Some(title.to_owned()),
            status: Some(InvitationStatus::Pending),
            invitation_date: Timestamp::parse("2026-01-02T03:04:05Z"),
            expiration_date: None,
            sender_aws_account_id: Some("123456789012".to_owned()),
            sender_company_name: None,
            receiver: None,
            catalog: "Sandbox".to_owned(),
            participant_type: None,
        }
    }

    #[test]
    fn a_document_reads_back_field_for_field_whatever_the_title_holds() {
        let hostile = "Quote \" comma , newline\nand CRLF\r\n=SUM(A1)";
        let bytes = document([&summary("engi-1", hostile), &summary("engi-2", "plain")]).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(
            text.starts_with("Id,Status,PayloadType,EngagementTitle,"),
            "{text}"
        );
        assert!(text.contains("\r\n"), "RFC 4180 line ends");
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        assert_eq!(reader.headers().unwrap(), HEADER.as_slice());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][0], "engi-1");
        assert_eq!(&rows[0][1], "PENDING");
        assert_eq!(&rows[0][2], "OpportunityInvitation");
        assert_eq!(&rows[0][3], hostile);
        assert_eq!(&rows[0][4], "", "absent fields are empty cells");
        assert_eq!(&rows[0][6], "2026-01-02T03:04:05Z");
        assert_eq!(&rows[1][3], "plain");
    }
}
