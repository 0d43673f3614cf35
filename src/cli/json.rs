//! `list --output json` built page by page: the bytes `write_json` would print for
//! `{"EngagementInvitationSummaries": [...]}`, serialized by the same formatter as each page
//! arrives (while the next one is fetched), so a listing of 10,000 is held as its JSON text
//! rather than as 10,000 typed summaries plus their JSON. Nothing reaches stdout until the
//! listing is complete, so a failed listing prints no partial document.

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter, Serializer};

/// The listing's JSON so far.
pub struct ListingJson {
    text: Vec<u8>,
    /// Where the serializer of the whole document would be: inside the array, two levels deep.
    formatter: PrettyFormatter<'static>,
    first: bool,
}

impl Default for ListingJson {
    fn default() -> Self {
        let mut text = Vec::with_capacity(1 << 20);
        let mut formatter = PrettyFormatter::with_indent(b"    ");
        head(&mut text, &mut formatter).expect("writing into a Vec does not fail");
        ListingJson {
            text,
            formatter,
            first: true,
        }
    }
}

/// `{"EngagementInvitationSummaries": [`, through the formatter so its indentation follows.
fn head(text: &mut Vec<u8>, formatter: &mut PrettyFormatter) -> std::io::Result<()> {
    formatter.begin_object(text)?;
    formatter.begin_object_key(text, true)?;
    formatter.begin_string(text)?;
    formatter.write_string_fragment(text, "EngagementInvitationSummaries")?;
    formatter.end_string(text)?;
    formatter.end_object_key(text)?;
    formatter.begin_object_value(text)?;
    formatter.begin_array(text)
}

impl ListingJson {
    /// Appends one summary: a typed one, or the service's own JSON value.
    pub fn push(&mut self, summary: &impl Serialize) -> std::io::Result<()> {
        self.formatter
            .begin_array_value(&mut self.text, self.first)?;
        let mut serializer = Serializer::with_formatter(&mut self.text, self.formatter.clone());
        summary
            .serialize(&mut serializer)
            .map_err(std::io::Error::other)?;
        self.formatter.end_array_value(&mut self.text)?;
        self.first = false;
        Ok(())
    }

    /// The whole document, with the final newline `write_json` adds.
    pub fn finish(mut self) -> std::io::Result<Vec<u8>> {
        self.formatter.end_array(&mut self.text)?;
        self.formatter.end_object_value(&mut self.text)?;
        self.formatter.end_object(&mut self.text)?;
        self.text.push(b'\n');
        Ok(self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::{
        AccountReceiver, EngagementInvitationSummary, InvitationStatus, Receiver, Timestamp,
    };
    use crate::cli::commands::write_json;

    #[derive(Serialize)]
    struct Listing<'a> {
        #[serde(rename = "EngagementInvitationSummaries")]
        summaries: &'a [EngagementInvitationSummary],
    }

    fn summary(n: usize) -> EngagementInvitationSummary {
        EngagementInvitationSummary {
            id: format!("engi-{n:013}"),
            engagement_title: Some(format!("Title \"{n}\"\nwith a newline and ünïcode")),
            status: Some(InvitationStatus::Pending),
            invitation_date: Some(Timestamp(chrono::DateTime::UNIX_EPOCH)),
            receiver: Some(Receiver::Account(AccountReceiver {
                alias: Some("Alias".into()),
                aws_account_id: "444455556666".into(),
            })),
            catalog: "Sandbox".into(),
            ..EngagementInvitationSummary::default()
        }
    }

    #[test]
    fn the_bytes_are_those_of_the_whole_document_pretty_printed() {
        for count in [0, 1, 3] {
            let summaries: Vec<_> = (0..count).map(summary).collect();
            let mut expected = Vec::new();
            write_json(
                &mut expected,
                &Listing {
                    summaries: &summaries,
                },
            )
            .unwrap();
            let mut json = ListingJson::default();
            for s in &summaries {
                json.push(s).unwrap();
            }
            assert_eq!(
                String::from_utf8(json.finish().unwrap()).unwrap(),
                String::from_utf8(expected).unwrap(),
                "{count} summaries"
            );
        }
    }
}
