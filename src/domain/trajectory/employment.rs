//! Employment terms and the cao's facilitation hours: FTE, contracts, dated terms, school and trajectory years.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::{FieldProblem, PartnershipId, Sector, TeamId};

use super::ContractKind;

/// Full-time equivalent in hundredths (0.8 FTE = 80). Between 0.01 and 1.20.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fte(pub u16);

impl Fte {
    pub const FULL: Fte = Fte(100);
    pub const MAX: u16 = 120;

    /// "0,8", "0.8", "1", "80%" → 0.80.
    pub fn parse(raw: &str) -> Result<Self, FieldProblem> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(FieldProblem::Required);
        }
        let hundredths = if let Some(percent) = raw.strip_suffix('%') {
            percent.trim().parse::<u32>().map_err(|_| FieldProblem::Format)?
        } else {
            let normalised = raw.replace(',', ".");
            let (whole, fraction) = normalised.split_once('.').unwrap_or((&normalised, ""));
            if whole.is_empty() && fraction.is_empty()
                || !whole.chars().all(|c| c.is_ascii_digit())
                || !fraction.chars().all(|c| c.is_ascii_digit())
                || fraction.len() > 2
            {
                return Err(FieldProblem::Format);
            }
            let whole: u32 = if whole.is_empty() {
                0
            } else {
                whole.parse().map_err(|_| FieldProblem::Format)?
            };
            let fraction: u32 = match fraction.len() {
                0 => 0,
                1 => fraction.parse::<u32>().map_err(|_| FieldProblem::Format)? * 10,
                _ => fraction.parse().map_err(|_| FieldProblem::Format)?,
            };
            whole.saturating_mul(100).saturating_add(fraction)
        };
        if hundredths == 0 || hundredths > u32::from(Self::MAX) {
            return Err(FieldProblem::FteRange);
        }
        Ok(Fte(hundredths as u16))
    }

    /// "0,8" / "1" — Dutch decimal comma, used in both languages and in CSV.
    pub fn display(self) -> String {
        let whole = self.0 / 100;
        let fraction = self.0 % 100;
        match fraction {
            0 => whole.to_string(),
            f if f % 10 == 0 => format!("{whole},{}", f / 10),
            f => format!("{whole},{f:02}"),
        }
    }
}

/// The contract of an employment period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Contract {
    Permanent,
    FixedTerm { until: NaiveDate },
}

impl Contract {
    pub fn kind(self) -> ContractKind {
        match self {
            Contract::Permanent => ContractKind::Permanent,
            Contract::FixedTerm { .. } => ContractKind::FixedTerm,
        }
    }
    pub fn until(self) -> Option<NaiveDate> {
        match self {
            Contract::Permanent => None,
            Contract::FixedTerm { until } => Some(until),
        }
    }
    /// A fixed-term contract needs its end date, a permanent one has none.
    pub fn from_parts(kind: ContractKind, until: Option<NaiveDate>) -> Result<Self, FieldProblem> {
        match (kind, until) {
            (ContractKind::Permanent, _) => Ok(Contract::Permanent),
            (ContractKind::FixedTerm, Some(until)) => Ok(Contract::FixedTerm { until }),
            (ContractKind::FixedTerm, None) => Err(FieldProblem::Required),
        }
    }
}

/// The terms of employment from a date on. A change of team, FTE or contract
/// is a new row with a later `valid_from`; nothing is overwritten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmploymentTerms {
    pub valid_from: NaiveDate,
    pub fte: Fte,
    pub contract: Contract,
    pub team: Option<TeamId>,
    pub sector: Sector,
    /// The SO&P partnership the starter is trained in, if any.
    pub partnership: Option<PartnershipId>,
}

/// The terms in force on `date`: the latest row that starts on or before it
/// (the first row when `date` is before all of them).
pub fn terms_on(terms: &[EmploymentTerms], date: NaiveDate) -> Option<&EmploymentTerms> {
    terms
        .iter()
        .filter(|t| t.valid_from <= date)
        .max_by_key(|t| t.valid_from)
        .or_else(|| terms.iter().min_by_key(|t| t.valid_from))
}

/// The school year a date falls in, named by the year it starts
/// (1 August – 31 July): 2026-09-01 and 2027-07-31 are both in 2026.
pub fn school_year(date: NaiveDate) -> i32 {
    if date.month() >= 8 {
        date.year()
    } else {
        date.year() - 1
    }
}

/// Starter-hour reduction the cao promises for trajectory year `year`
/// (1-based): 100 hours for a full-time starter in years 1 and 2, pro rata
/// FTE (rounded to whole hours), nothing after.
pub fn starter_hours_promised(fte: Fte, year: u32) -> u32 {
    if !(1..=2).contains(&year) {
        return 0;
    }
    (u32::from(fte.0) * 100 + 50) / 100
}

/// The school years a starter's reduction covers: those overlapping the
/// first two trajectory years.
pub fn supported_school_years(start: NaiveDate) -> Vec<i32> {
    let end = start.checked_add_months(Months::new(24)).unwrap_or(NaiveDate::MAX);
    let last = school_year(end.pred_opt().unwrap_or(end));
    (school_year(start)..=last).collect()
}

/// The cao's starter hours for one school year: 100 hours × FTE for a whole
/// school year inside the first two trajectory years, pro rata by days for
/// a school year only partly inside (a January start).
pub fn default_starter_hours(start: NaiveDate, fte: Fte, year: i32) -> u32 {
    let (Some(from), Some(until)) = (
        NaiveDate::from_ymd_opt(year, 8, 1),
        NaiveDate::from_ymd_opt(year + 1, 8, 1),
    ) else {
        return 0;
    };
    let end = start.checked_add_months(Months::new(24)).unwrap_or(NaiveDate::MAX);
    let overlap = (until.min(end) - from.max(start)).num_days().max(0) as u64;
    let year_days = (until - from).num_days() as u64;
    ((u64::from(fte.0) * overlap + year_days / 2) / year_days) as u32
}

/// One school year of the facilitation ledger as shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacilitationYear {
    pub school_year: i32,
    pub starter_promised: u32,
    pub starter_granted: Option<u32>,
    pub mentor_promised: Option<u32>,
    pub mentor_granted: Option<u32>,
}

/// Which trajectory year (1-based) `date` is in for a trajectory that
/// started on `start`; 0 before the start.
pub fn trajectory_year(start: NaiveDate, date: NaiveDate) -> u32 {
    if date < start {
        return 0;
    }
    let mut year = 1;
    while let Some(next) = start.checked_add_months(Months::new(12 * year))
        && next <= date
    {
        year += 1;
    }
    year
}
