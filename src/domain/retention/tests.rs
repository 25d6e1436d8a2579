//! Kaplan–Meier against hand-computed examples and a published table,
//! follow-up per measure, cohort shares and suppression.

use super::*;

fn d(days: u32) -> Observation {
    Observation { days, event: true }
}

fn c(days: u32) -> Observation {
    Observation { days, event: false }
}

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance
}

fn date(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn kaplan_meier_by_hand_with_ties_and_censoring() {
    // 2† 3† 3+ 5† 5+ 8+ 9† (seven people; † event, + censored).
    // t=2: 7 at risk, 1 event: S = 6/7;       Greenwood sum 1/(7·6)
    // t=3: 6 at risk, 1 event, 1 censored (the censored one was at risk): S = 5/7; sum += 1/(6·5)
    // t=5: 4 at risk, 1 event, 1 censored: S = 15/28; sum += 1/(4·3)
    // t=8: 2 at risk, censored only: S unchanged
    // t=9: 1 at risk, 1 event: S = 0
    let curve = kaplan_meier(&[d(2), c(3), d(3), d(5), c(5), c(8), d(9)]);
    let rows: Vec<(u32, u32, u32, u32)> = curve
        .iter()
        .map(|p| (p.days, p.at_risk, p.events, p.censored))
        .collect();
    assert_eq!(
        rows,
        [(2, 7, 1, 0), (3, 6, 1, 1), (5, 4, 1, 1), (8, 2, 0, 1), (9, 1, 1, 0)]
    );
    let s: Vec<f64> = curve.iter().map(|p| p.survival).collect();
    for (got, want) in s.iter().zip([6.0 / 7.0, 5.0 / 7.0, 15.0 / 28.0, 15.0 / 28.0, 0.0]) {
        assert!(close(*got, want, 1e-12), "{s:?}");
    }
    let sum: f64 = 1.0 / 42.0 + 1.0 / 30.0 + 1.0 / 12.0;
    let at5 = curve[2];
    assert!(close(at5.std_err, 15.0 / 28.0 * sum.sqrt(), 1e-12));
    assert!(close(at5.lower, 15.0 / 28.0 * (-Z95 * sum.sqrt()).exp(), 1e-12));
    assert!(close(
        at5.upper,
        (15.0 / 28.0 * (Z95 * sum.sqrt()).exp()).min(1.0),
        1e-12
    ));
    assert_eq!((curve[4].lower, curve[4].upper), (0.0, 0.0), "no interval around zero");

    let obs = [d(2), c(3), d(3), d(5), c(5), c(8), d(9)];
    assert!(close(read_at(&obs, &curve, 4).unwrap().survival, 5.0 / 7.0, 1e-12));
    assert_eq!(read_at(&obs, &curve, 4).unwrap().at_risk, 4);
    assert_eq!(
        read_at(&obs, &curve, 1).unwrap().survival,
        1.0,
        "before the first event"
    );
    assert_eq!(read_at(&obs, &curve, 9).unwrap().survival, 0.0);
    assert_eq!(read_at(&obs, &curve, 10), None, "nobody followed that long");
}

#[test]
fn everybody_censored_and_nobody_at_all() {
    let obs = [c(10), c(20), c(20)];
    let curve = kaplan_meier(&obs);
    assert!(
        curve
            .iter()
            .all(|p| p.survival == 1.0 && p.lower == 1.0 && p.upper == 1.0 && p.std_err == 0.0)
    );
    assert_eq!(curve.iter().map(|p| p.at_risk).collect::<Vec<_>>(), [3, 2]);
    assert_eq!(read_at(&obs, &curve, 15).unwrap().survival, 1.0);
    assert!(kaplan_meier(&[]).is_empty());
    assert_eq!(read_at(&[], &[], 0), None);
}

#[test]
fn matches_the_published_table_for_the_6mp_leukaemia_data() {
    // Freireich et al. (1963), 6-MP group, remission in weeks (+ censored);
    // the Kaplan–Meier table with Greenwood errors and log intervals as
    // printed in survival textbooks (e.g. Kleinbaum & Klein) and by R's
    // survfit: time, at risk, events, S, se, lower, upper.
    let obs = [
        d(6),
        d(6),
        d(6),
        c(6),
        d(7),
        c(9),
        d(10),
        c(10),
        c(11),
        d(13),
        d(16),
        c(17),
        c(19),
        c(20),
        d(22),
        d(23),
        c(25),
        c(32),
        c(32),
        c(34),
        c(35),
    ];
    let table = [
        (6, 21, 3, 0.857, 0.0764, 0.720, 1.000),
        (7, 17, 1, 0.807, 0.0869, 0.653, 0.996),
        (10, 15, 1, 0.753, 0.0963, 0.586, 0.968),
        (13, 12, 1, 0.690, 0.1068, 0.510, 0.935),
        (16, 11, 1, 0.627, 0.1141, 0.439, 0.896),
        (22, 7, 1, 0.538, 0.1282, 0.337, 0.858),
        (23, 6, 1, 0.448, 0.1346, 0.249, 0.807),
    ];
    let curve = kaplan_meier(&obs);
    let events: Vec<&CurvePoint> = curve.iter().filter(|p| p.events > 0).collect();
    assert_eq!(events.len(), table.len());
    for (p, (t, n, e, s, se, lo, hi)) in events.iter().zip(table) {
        assert_eq!((p.days, p.at_risk, p.events), (t, n, e));
        assert!(close(p.survival, s, 0.0005), "S({t}) = {}", p.survival);
        assert!(close(p.std_err, se, 0.00005), "se({t}) = {}", p.std_err);
        assert!(
            close(p.lower, lo, 0.0005) && close(p.upper, hi, 0.0005),
            "CI({t}) = {} – {}",
            p.lower,
            p.upper
        );
    }
}

#[test]
fn follow_up_per_measure() {
    let as_of = date(2026, 11, 29);
    let staying = Period {
        start: date(2025, 8, 1),
        end: None,
        reason: None,
    };
    let moved = Period {
        start: date(2025, 8, 1),
        end: Some(date(2026, 1, 31)),
        reason: Some(LeaveReason::OtherMboInstitution),
    };
    let left = Period {
        end: Some(date(2026, 1, 31)),
        reason: Some(LeaveReason::Workload),
        ..moved
    };
    let later = Period {
        end: Some(date(2027, 7, 31)),
        reason: Some(LeaveReason::Workload),
        ..moved
    };
    let inst = RetentionMeasure::Institution;
    let edu = RetentionMeasure::Education;
    assert_eq!(staying.observe(inst, as_of), Some(c(485)));
    assert_eq!(moved.observe(inst, as_of), Some(d(183)), "moving ends employment here");
    assert_eq!(
        moved.observe(edu, as_of),
        Some(c(183)),
        "but not in education: censored when they moved"
    );
    assert_eq!(left.observe(edu, as_of), Some(d(183)));
    assert_eq!(
        later.observe(inst, as_of),
        Some(c(485)),
        "an ending after the evaluation date is not known yet"
    );
    let future = Period {
        start: date(2027, 1, 1),
        ..staying
    };
    assert_eq!(future.observe(inst, as_of), None);
}

#[test]
fn cohort_shares_only_for_complete_years() {
    let as_of = date(2026, 9, 1);
    let p = |start: NaiveDate, end: Option<NaiveDate>| Period {
        start,
        end,
        reason: end.map(|_| LeaveReason::Personal),
    };
    let cohort = [
        p(date(2024, 8, 1), None),
        p(date(2024, 8, 1), Some(date(2025, 3, 1))),
        p(date(2024, 8, 1), Some(date(2025, 12, 1))),
        p(date(2025, 1, 6), None),
    ];
    // One year after each start: 3 of 4 still employed. Two years: the
    // January starter's anniversary (6-1-2027) is after 1-9-2026, not complete.
    assert_eq!(
        cohort_shares(&cohort, as_of),
        vec![CohortShare {
            years: 1,
            still: 3,
            size: 4
        }]
    );
    assert_eq!(
        cohort_shares(&cohort, date(2027, 1, 6)),
        vec![
            CohortShare {
                years: 1,
                still: 3,
                size: 4
            },
            CohortShare {
                years: 2,
                still: 2,
                size: 4
            }
        ]
    );
    assert!(cohort_shares(&[], as_of).is_empty());
    assert_eq!(school_year_label(2024), "2024/25");
    assert_eq!(school_year_label(2099), "2099/00");
}

#[test]
fn small_cells_and_their_complement_are_hidden() {
    assert_eq!(suppressed(&[10, 12]), [false, false]);
    // One small group: the smallest other group is hidden too, so the total
    // minus the shown groups does not give it away.
    assert_eq!(suppressed(&[10, 3, 8]), [false, true, true]);
    assert_eq!(suppressed(&[10, 3, 8, 6]), [false, true, false, true]);
    // Two small groups already hide each other.
    assert_eq!(suppressed(&[10, 3, 2]), [false, true, true]);
    assert_eq!(suppressed(&[4]), [true]);
    assert_eq!(suppressed(&[5, 5]), [false, false], "five is enough");
    assert_eq!(Cell::of(0.8, 4), Cell::Suppressed);
    assert_eq!(Cell::of(0.8, 5), Cell::Shown(0.8));
    assert_eq!(months_to_days(12), 365);
    assert_eq!(months_to_days(6), 183);
}

#[test]
fn intensity_bands_per_starter_month() {
    assert_eq!(intensity_band(0, 400), IntensityBand::None);
    assert_eq!(
        intensity_band(1, 10),
        IntensityBand::High,
        "short employments count as one month"
    );
    assert_eq!(intensity_band(2, 365), IntensityBand::Low);
    assert_eq!(intensity_band(6, 365), IntensityBand::Medium);
    assert_eq!(intensity_band(12, 365), IntensityBand::High);
}

#[test]
fn guidance_coverage_by_hand() {
    let as_of = date(2026, 6, 30);
    let jan5 = date(2026, 1, 5);
    // (start, end, first pairing, first held, held, recent check-ins, partnership, facilitation (promised, granted))
    type Row = (
        NaiveDate,
        Option<NaiveDate>,
        Option<NaiveDate>,
        Option<NaiveDate>,
        i64,
        i64,
        bool,
        Option<(i64, i64)>,
    );
    let rows: [Row; 7] = [
        (
            jan5,
            None,
            Some(date(2026, 1, 10)),
            Some(date(2026, 1, 20)),
            6,
            10,
            true,
            Some((40, 40)),
        ),
        (
            jan5,
            None,
            Some(date(2026, 2, 1)),
            Some(date(2026, 2, 10)),
            3,
            2,
            false,
            Some((40, 20)),
        ),
        (jan5, None, None, None, 0, 0, true, None),
        (
            jan5,
            Some(date(2026, 3, 31)),
            Some(date(2026, 1, 12)),
            Some(date(2026, 1, 19)),
            2,
            0,
            true,
            None,
        ),
        (date(2026, 6, 25), None, None, None, 0, 0, false, None),
        (
            jan5,
            None,
            Some(date(2026, 1, 19)),
            Some(date(2026, 1, 26)),
            5,
            13,
            true,
            Some((40, 30)),
        ),
        (
            jan5,
            None,
            Some(date(2026, 1, 6)),
            Some(date(2026, 1, 15)),
            4,
            12,
            false,
            None,
        ),
    ];
    let facts: Vec<Fact> = rows
        .iter()
        .map(
            |&(start, end, first_pairing, first_held, held, checkins, partnership, hours)| Fact {
                period: Period {
                    start,
                    end,
                    reason: end.map(|_| LeaveReason::Personal),
                },
                groups: BTreeMap::new(),
                guidance: Guidance {
                    first_pairing,
                    first_held,
                    held_conversations: held,
                    recent_checkins: checkins,
                    rhythm_days: 14,
                    in_partnership: partnership,
                    facilitation_years: i64::from(hours.is_some()),
                    hours_promised: hours.map_or(0, |h| h.0),
                    hours_granted: hours.map_or(0, |h| h.1),
                    ..Guidance::default()
                },
            },
        )
        .collect();
    let c = coverage(&facts, as_of);
    assert_eq!(c.starters, Cell::Shown(7));
    // Six started 14+ days ago; four had a mentor within 14 days (day 14 counts).
    assert_eq!(c.mentor_within_14_days, Cell::Shown(Share { part: 4, whole: 6 }));
    // Days to the first held conversation: 10, 14, 15, 21, 36.
    assert_eq!(c.median_days_to_first_conversation, Cell::Shown(15));
    // 20 held over 5 × 176 + 85 + 5 = 970 days = 31.87 months.
    let Cell::Shown(rate) = c.conversations_per_month else {
        panic!("suppressed")
    };
    assert!(close(rate, 20.0 / (970.0 / (365.25 / 12.0)), 1e-9), "{rate}");
    // Six current starters; 12 asked of each settled one in 176 days, none of
    // the newest; given 10 + 2 + 0 + 12 (capped) + 12.
    assert_eq!(c.checkin_response, Cell::Shown(Share { part: 36, whole: 60 }));
    assert_eq!(c.in_partnership, Cell::Shown(Share { part: 4, whole: 7 }));
    // Only three starters have facilitation figures: suppressed.
    assert_eq!(c.hours_granted, Cell::Suppressed);
    assert!(close(Share { part: 1, whole: 4 }.ratio(), 0.25, 1e-12));
    assert_eq!(Share { part: 0, whole: 0 }.ratio(), 0.0);
}
