//! The one CSV writer: every table Houvast hands out as CSV (retention,
//! coverage, research records, signals, backtest; pages and command line)
//! goes through [`CsvStyle::write`].
//!
//! A spreadsheet treats a cell that begins with `=`, `+`, `-`, `@`, a tab or
//! a carriage return as a formula. Names are chosen by people (a team called
//! `=HYPERLINK(…)`), so such a cell gets a leading single quote, as OWASP
//! advises; numbers (also negative ones, with a decimal comma or point)
//! stay numbers.

/// How a CSV file is written: comma with decimal points, or semicolon with
/// decimal commas (what Dutch Excel expects); with a byte-order mark so
/// Excel reads UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvStyle {
    pub semicolon: bool,
    pub bom: bool,
}

impl CsvStyle {
    pub fn number(self, value: f64) -> String {
        let text = format!("{value:.3}");
        if self.semicolon { text.replace('.', ",") } else { text }
    }

    pub fn write(self, header: &[&str], rows: Vec<Vec<String>>) -> String {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(if self.semicolon { b';' } else { b',' })
            .from_writer(Vec::new());
        // Writing to memory cannot fail.
        let _ = writer.write_record(header.iter().map(|cell| neutralise(cell).into_owned()));
        for row in rows {
            let _ = writer.write_record(row.iter().map(|cell| neutralise(cell).into_owned()));
        }
        let bytes = writer.into_inner().unwrap_or_default();
        let text = String::from_utf8(bytes).unwrap_or_default();
        if self.bom { format!("\u{feff}{text}") } else { text }
    }
}

/// A cell as it is safe to open in a spreadsheet.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_number(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// A plain decimal number such as `-3`, `-0.25` or `-0,25`.
fn is_number(cell: &str) -> bool {
    let digits = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    let mut separators = 0;
    !digits.is_empty()
        && digits.chars().next().is_some_and(|c| c.is_ascii_digit())
        && digits.chars().all(|c| {
            if c == '.' || c == ',' {
                separators += 1;
                separators == 1
            } else {
                c.is_ascii_digit()
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_numbers_stay_numbers() {
        for risky in [
            "=HYPERLINK(\"http://x\")",
            "+31 6 1234",
            "-2+3",
            "@SUM(A1)",
            "\tcmd",
            "\r=1",
            "-",
            "=",
        ] {
            assert_eq!(neutralise(risky), format!("'{risky}"), "{risky:?}");
        }
        for safe in ["Team Zorg", "", "12", "-3", "-0.25", "-0,25", "+4", "'=already", "a=b"] {
            assert_eq!(neutralise(safe), safe, "{safe:?}");
        }
    }

    #[test]
    fn the_writer_neutralises_every_cell_header_included() {
        let style = CsvStyle {
            semicolon: true,
            bom: false,
        };
        let text = style.write(
            &["team", "=cmd"],
            vec![vec!["=HYPERLINK(\"http://x\",\"klik\")".into(), "-0,5".into()]],
        );
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("team;'=cmd"));
        assert_eq!(
            lines.next(),
            Some("\"'=HYPERLINK(\"\"http://x\"\",\"\"klik\"\")\";-0,5")
        );
    }
}
