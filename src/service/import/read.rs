//! Reading the file: its encoding, its separator, and its rows as text.

use std::collections::HashMap;

use crate::domain::import::{Column, FileProblem, ImportReport};

use super::MAX_ROWS;

/// A decoded file: its text, and how it was read.
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

/// UTF-8 (with or without byte-order mark) when the bytes are valid UTF-8,
/// otherwise Windows-1252 (what Excel writes on Dutch Windows).
pub fn decode(bytes: &[u8]) -> Decoded {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Decoded {
            text: text.to_owned(),
            encoding: "UTF-8",
        },
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            Decoded {
                text: text.into_owned(),
                encoding: "Windows-1252",
            }
        }
    }
}

/// The separator of the header line: the more frequent of `;`, `,` and tab
/// outside quotes (Dutch Excel writes `;`).
pub fn separator(text: &str) -> char {
    let header = text.lines().next().unwrap_or("");
    let mut quoted = false;
    let mut counts = [(';', 0), (',', 0), ('\t', 0)];
    for c in header.chars() {
        if c == '"' {
            quoted = !quoted;
        } else if !quoted && let Some(entry) = counts.iter_mut().find(|(s, _)| *s == c) {
            entry.1 += 1;
        }
    }
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map_or(';', |(s, _)| *s)
}

/// One data row as text, by column.
#[derive(Debug, Clone)]
pub struct RawRow {
    pub row: usize,
    pub cells: HashMap<Column, String>,
    pub cell_count_ok: bool,
}

impl RawRow {
    pub(super) fn get(&self, column: Column) -> &str {
        self.cells.get(&column).map_or("", String::as_str)
    }
}

/// Byte offsets at which the rows of a spreadsheet start: after every line
/// end outside quotes.
pub(super) fn row_starts(text: &str) -> Vec<u64> {
    let mut starts = vec![0];
    let mut quoted = false;
    for (i, byte) in text.bytes().enumerate() {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => starts.push(i as u64 + 1),
            _ => {}
        }
    }
    starts
}

/// Read the CSV into rows, or say why the file cannot be read.
pub fn read(bytes: &[u8]) -> (Vec<RawRow>, ImportReport) {
    let decoded = decode(bytes);
    let separator = separator(&decoded.text);
    let mut report = ImportReport {
        encoding: decoded.encoding.to_owned(),
        separator,
        ..ImportReport::default()
    };
    if decoded.text.trim().is_empty() {
        report.file_errors.push(FileProblem::Empty);
        return (Vec::new(), report);
    }
    // One line ending, so line numbers count the same for Windows files.
    let text = decoded.text.replace("\r\n", "\n").replace('\r', "\n");
    let starts = row_starts(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator as u8)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(_) => {
            report.file_errors.push(FileProblem::Unreadable);
            return (Vec::new(), report);
        }
    };
    let mut columns: Vec<Option<Column>> = Vec::new();
    for header in headers.iter() {
        let column = Column::from_header(header);
        if column.is_none() && !header.trim().is_empty() {
            report.file_errors.push(FileProblem::UnknownColumn {
                header: header.trim().chars().take(60).collect(),
            });
        }
        columns.push(column);
    }
    for required in [Column::EmployeeNumber, Column::Name, Column::Role] {
        if !columns.contains(&Some(required)) {
            report.file_errors.push(FileProblem::MissingColumn { column: required });
        }
    }
    if !report.file_errors.is_empty() {
        return (Vec::new(), report);
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let Ok(record) = record else {
            report.file_errors.push(FileProblem::Unreadable);
            return (Vec::new(), report);
        };
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            report.file_errors.push(FileProblem::TooManyRows { max: MAX_ROWS });
            return (Vec::new(), report);
        }
        // The row a spreadsheet shows: the header is row 1, blank lines
        // count, a cell spanning lines does not.
        // (A record's position may point at blank lines skipped before it.)
        let row = record.position().map_or(rows.len() + 2, |p| {
            let mut at = p.byte() as usize;
            while text.as_bytes().get(at) == Some(&b'\n') {
                at += 1;
            }
            starts.partition_point(|&s| s <= at as u64)
        });
        let cells = columns
            .iter()
            .zip(record.iter())
            .filter_map(|(column, cell)| column.map(|c| (c, cell.to_owned())))
            .collect();
        rows.push(RawRow {
            row,
            cells,
            cell_count_ok: record.len() == columns.len(),
        });
    }
    (rows, report)
}
