//! Dutch local time for display. The Netherlands keep Central European
//! Time (UTC+1) with summer time (UTC+2) from the last Sunday of March to
//! the last Sunday of October, switching at 01:00 UTC (EU rule since 1996).
//! A tiny pure function, so server and browser format identically without
//! shipping a time-zone database.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};

use super::FieldProblem;

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let last_day = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
    .expect("valid date")
        - Duration::days(1);
    let back = (last_day.weekday().num_days_from_sunday()) as i64;
    last_day - Duration::days(back)
}

/// The UTC offset in the Netherlands at `instant`, in hours.
pub fn amsterdam_offset_hours(instant: DateTime<Utc>) -> i64 {
    let year = instant.year();
    let start = Utc.from_utc_datetime(&last_sunday(year, 3).and_hms_opt(1, 0, 0).expect("valid time"));
    let end = Utc.from_utc_datetime(&last_sunday(year, 10).and_hms_opt(1, 0, 0).expect("valid time"));
    if instant >= start && instant < end { 2 } else { 1 }
}

/// `instant` as Dutch wall-clock time.
pub fn amsterdam(instant: DateTime<Utc>) -> NaiveDateTime {
    instant.naive_utc() + Duration::hours(amsterdam_offset_hours(instant))
}

/// "29-11-2026 08:45" (Dutch order, used in both languages).
pub fn format_date_time(instant: DateTime<Utc>) -> String {
    amsterdam(instant).format("%d-%m-%Y %H:%M").to_string()
}

/// "29-11-2026".
pub fn format_date(instant: DateTime<Utc>) -> String {
    amsterdam(instant).format("%d-%m-%Y").to_string()
}

/// Midnight at the start of a Dutch calendar day, as an instant.
pub fn start_of_day(date: NaiveDate) -> DateTime<Utc> {
    let guess = Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).expect("valid time"));
    guess - Duration::hours(amsterdam_offset_hours(guess))
}

/// The Dutch calendar day of an instant.
pub fn today(now: DateTime<Utc>) -> NaiveDate {
    amsterdam(now).date()
}

/// Parse a date as people type it: "2026-09-01", "1-9-2026", "01-09-2026"
/// or "1/9/2026" (Dutch day-month-year order).
pub fn parse_date(raw: &str) -> Result<NaiveDate, FieldProblem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldProblem::Required);
    }
    if let Ok(date) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        return Ok(date);
    }
    let parts: Vec<&str> = raw.split(['-', '/', '.']).collect();
    if let [d, m, y] = parts[..]
        && y.len() == 4
        && let (Ok(d), Ok(m), Ok(y)) = (d.parse::<u32>(), m.parse::<u32>(), y.parse::<i32>())
        && let Some(date) = NaiveDate::from_ymd_opt(y, m, d)
    {
        return Ok(date);
    }
    Err(FieldProblem::Format)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn summer_and_winter_time_switch_on_the_last_sundays() {
        assert_eq!(last_sunday(2026, 3), NaiveDate::from_ymd_opt(2026, 3, 29).unwrap());
        assert_eq!(last_sunday(2026, 10), NaiveDate::from_ymd_opt(2026, 10, 25).unwrap());
        assert_eq!(amsterdam_offset_hours(utc(2026, 3, 29, 0, 59)), 1);
        assert_eq!(amsterdam_offset_hours(utc(2026, 3, 29, 1, 0)), 2);
        assert_eq!(amsterdam_offset_hours(utc(2026, 10, 25, 0, 59)), 2);
        assert_eq!(amsterdam_offset_hours(utc(2026, 10, 25, 1, 0)), 1);
        assert_eq!(amsterdam_offset_hours(utc(2027, 1, 15, 12, 0)), 1);
    }

    #[test]
    fn formats_in_dutch_local_time() {
        assert_eq!(format_date_time(utc(2026, 11, 29, 6, 45)), "29-11-2026 07:45");
        assert_eq!(format_date_time(utc(2026, 7, 1, 22, 30)), "02-07-2026 00:30");
        assert_eq!(format_date(utc(2026, 12, 31, 23, 30)), "01-01-2027");
        assert_eq!(
            start_of_day(NaiveDate::from_ymd_opt(2026, 7, 2).unwrap()),
            utc(2026, 7, 1, 22, 0)
        );
        assert_eq!(
            start_of_day(NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()),
            utc(2026, 12, 1, 23, 0)
        );
    }
}
