//! The report of an HR import: per row what will be (or was) created or
//! changed, and every error with its row and column.

use serde::{Deserialize, Serialize};

use super::FieldProblem;

/// One column of the HR file: its Dutch header (the template's) and the
/// other spellings that are accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    EmployeeNumber,
    Name,
    Email,
    Role,
    Team,
    StartDate,
    Fte,
    Contract,
    ContractEnd,
    EntryRoute,
    Partnership,
}

impl Column {
    pub const ALL: [Column; 11] = [
        Column::EmployeeNumber,
        Column::Name,
        Column::Email,
        Column::Role,
        Column::Team,
        Column::StartDate,
        Column::Fte,
        Column::Contract,
        Column::ContractEnd,
        Column::EntryRoute,
        Column::Partnership,
    ];

    /// The header in the template (Dutch, as HR departments name them).
    pub fn header(self) -> &'static str {
        match self {
            Column::EmployeeNumber => "personeelsnummer",
            Column::Name => "naam",
            Column::Email => "e-mail",
            Column::Role => "rol",
            Column::Team => "team",
            Column::StartDate => "startdatum",
            Column::Fte => "fte",
            Column::Contract => "contract",
            Column::ContractEnd => "einddatum contract",
            Column::EntryRoute => "instroomroute",
            Column::Partnership => "partnerschap",
        }
    }

    /// Other accepted headers (English, and common HR spellings).
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Column::EmployeeNumber => &["employee number", "employee_number", "personeelsnr", "medewerkernummer"],
            Column::Name => &["name", "volledige naam", "naam medewerker"],
            Column::Email => &["email", "e-mailadres", "emailadres", "e-mail adres"],
            Column::Role => &["role", "functie in programma"],
            Column::Team => &["afdeling", "team name"],
            Column::StartDate => &["start date", "start_date", "datum in dienst", "in dienst"],
            Column::Fte => &["wtf", "omvang"],
            Column::Contract => &["contract type", "soort contract", "dienstverband"],
            Column::ContractEnd => &["contract end", "contract_end", "einddatum", "einde contract"],
            Column::EntryRoute => &["entry route", "entry_route", "route"],
            Column::Partnership => &["partnership", "so&p-partnerschap", "so&p partnerschap"],
        }
    }

    /// The column a header names, ignoring case and surrounding spaces.
    pub fn from_header(header: &str) -> Option<Column> {
        let wanted = header.trim().trim_start_matches('\u{feff}').to_lowercase();
        Self::ALL
            .into_iter()
            .find(|c| c.header() == wanted || c.aliases().contains(&wanted.as_str()))
    }
}

/// A refused cell. `column` is `None` for a problem with the whole row
/// (e.g. an employee number that appears twice in the file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellError {
    pub column: Option<Column>,
    pub problem: ImportProblem,
}

/// Why a cell or row was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ImportProblem {
    /// A field problem, as in the forms.
    Field { problem: FieldProblem },
    /// The employee number appears more than once in the file.
    DuplicateInFile,
    /// The e-mail address belongs to someone else.
    EmailTaken,
    /// No team by that name in the institution.
    UnknownTeam,
    /// The row has more or fewer cells than the header.
    CellCount,
    /// The person is already in Houvast with another role; the import only
    /// adds starters and mentors.
    RoleNotImported,
    /// The employee number belonged to someone whose data was erased: the
    /// import does not bring them back; a coordinator adds them by hand.
    ErasedBefore,
}

impl From<FieldProblem> for ImportProblem {
    fn from(problem: FieldProblem) -> Self {
        ImportProblem::Field { problem }
    }
}

/// What happens to a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum RowAction {
    Create,
    /// The columns whose values change.
    Update {
        changes: Vec<Column>,
    },
    Unchanged,
    Error {
        errors: Vec<CellError>,
    },
}

/// One row of the report. `row` counts lines as a spreadsheet does: the
/// header is row 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowReport {
    pub row: usize,
    pub employee_number: String,
    pub name: String,
    pub action: RowAction,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ImportReport {
    /// Problems with the file itself (encoding, missing columns): nothing
    /// can be read row by row.
    pub file_errors: Vec<FileProblem>,
    pub rows: Vec<RowReport>,
    /// Partnerships named in the file that will be (or were) added.
    pub new_partnerships: Vec<String>,
    /// Whether this was written (false for a dry run or when any row has an error).
    pub applied: bool,
    /// Encoding and separator the file was read with ("UTF-8", ";").
    pub encoding: String,
    pub separator: char,
}

impl ImportReport {
    pub fn count(&self, matches: impl Fn(&RowAction) -> bool) -> usize {
        self.rows.iter().filter(|r| matches(&r.action)).count()
    }
    pub fn created(&self) -> usize {
        self.count(|a| matches!(a, RowAction::Create))
    }
    pub fn updated(&self) -> usize {
        self.count(|a| matches!(a, RowAction::Update { .. }))
    }
    pub fn unchanged(&self) -> usize {
        self.count(|a| matches!(a, RowAction::Unchanged))
    }
    pub fn with_errors(&self) -> usize {
        self.count(|a| matches!(a, RowAction::Error { .. }))
    }
    /// True when the file can be applied: it was read and no row has an error.
    pub fn is_clean(&self) -> bool {
        self.file_errors.is_empty() && self.with_errors() == 0
    }
}

/// An uploaded file with its report: checked (a dry run, computed again on
/// every view) or applied (the report of what was written).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadView {
    pub id: i64,
    pub file_name: String,
    pub uploaded_at: chrono::DateTime<chrono::Utc>,
    pub applied_at: Option<chrono::DateTime<chrono::Utc>>,
    pub report: ImportReport,
}

/// An upload in the list of recent ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadSummary {
    pub id: i64,
    pub file_name: String,
    pub uploaded_at: chrono::DateTime<chrono::Utc>,
    pub applied_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Why a whole file was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum FileProblem {
    Empty,
    /// Not readable as CSV at all.
    Unreadable,
    /// A required column is missing from the header.
    MissingColumn {
        column: Column,
    },
    /// A header that is not one of the columns.
    UnknownColumn {
        header: String,
    },
    TooManyRows {
        max: usize,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_recognised_in_dutch_and_english() {
        assert_eq!(Column::from_header(" Personeelsnummer "), Some(Column::EmployeeNumber));
        assert_eq!(
            Column::from_header("\u{feff}personeelsnummer"),
            Some(Column::EmployeeNumber)
        );
        assert_eq!(Column::from_header("Start date"), Some(Column::StartDate));
        assert_eq!(Column::from_header("E-mail"), Some(Column::Email));
        assert_eq!(Column::from_header("shoe size"), None);
        for column in Column::ALL {
            assert_eq!(Column::from_header(column.header()), Some(column));
        }
    }
}
