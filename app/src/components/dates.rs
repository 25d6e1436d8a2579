//! Dates as the pages show them: day-month-year, the Dutch order, in both
//! languages (as `domain::time` formats instants).

/// "29-11-2026".
pub fn day(date: chrono::NaiveDate) -> String {
    date.format("%d-%m-%Y").to_string()
}
