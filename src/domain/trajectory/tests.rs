use super::*;
use crate::domain::time::parse_date;
use crate::domain::{FieldProblem, Role, Sector};
use chrono::NaiveDate;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn due_dates_count_from_the_start_date() {
    let start = d(2026, 8, 24);
    assert_eq!(Offset::days(10).due_from(start), d(2026, 9, 3));
    assert_eq!(Offset::weeks(2).due_from(start), d(2026, 9, 7));
    assert_eq!(Offset::months(5).due_from(start), d(2027, 1, 24));
    assert_eq!(Offset::months(24).due_from(start), d(2028, 8, 24));
    // End of month is clamped, leap years respected.
    assert_eq!(Offset::months(1).due_from(d(2027, 1, 31)), d(2027, 2, 28));
    assert_eq!(Offset::months(1).due_from(d(2028, 1, 31)), d(2028, 2, 29));
    assert_eq!(Offset::days(0).due_from(start), start);
}

#[test]
fn offsets_are_bounded() {
    assert!(Offset::new(60, OffsetUnit::Months).is_ok());
    assert_eq!(
        Offset::new(61, OffsetUnit::Months),
        Err(FieldProblem::OutOfRange { min: 0, max: 60 })
    );
    assert!(Offset::new(-1, OffsetUnit::Days).is_err());
}

#[test]
fn pdg_route_gets_the_two_year_deadline() {
    let start = d(2026, 9, 1);
    let pdg = default_milestones(EntryRoute::SideEntrantPdg);
    let completion = pdg.iter().find(|m| m.title == "PDG behaald").unwrap();
    assert_eq!(completion.offset.due_from(start), d(2028, 9, 1));
    assert!(pdg.iter().any(|m| m.title.starts_with("Geschiktheidsverklaring")));
    let regular = default_milestones(EntryRoute::Regular);
    assert!(!regular.iter().any(|m| m.title.contains("PDG")));
    for title in [
        "Intakegesprek",
        "Kennismaking met mentor",
        "Eerste lesbezoek",
        "Eindgesprek inductie",
    ] {
        assert!(regular.iter().any(|m| m.title == title), "{title}");
    }
    // Ordered by due date.
    let dues: Vec<NaiveDate> = pdg.iter().map(|m| m.offset.due_from(start)).collect();
    assert!(dues.windows(2).all(|w| w[0] <= w[1]), "{dues:?}");
}

#[test]
fn starter_hours_are_pro_rata_in_years_one_and_two() {
    assert_eq!(starter_hours_promised(Fte::FULL, 1), 100);
    assert_eq!(starter_hours_promised(Fte(80), 2), 80);
    assert_eq!(starter_hours_promised(Fte(55), 1), 55);
    assert_eq!(starter_hours_promised(Fte(120), 1), 120);
    assert_eq!(starter_hours_promised(Fte::FULL, 3), 0);
    assert_eq!(starter_hours_promised(Fte::FULL, 0), 0);
}

#[test]
fn starter_hours_per_school_year_are_pro_rata_by_days() {
    let august = d(2026, 8, 1);
    assert_eq!(supported_school_years(august), vec![2026, 2027]);
    assert_eq!(default_starter_hours(august, Fte::FULL, 2026), 100);
    assert_eq!(default_starter_hours(august, Fte(80), 2027), 80);
    assert_eq!(default_starter_hours(august, Fte::FULL, 2028), 0);
    // A January start spreads two years over three school years.
    let january = d(2027, 1, 4);
    assert_eq!(supported_school_years(january), vec![2026, 2027, 2028]);
    let hours: Vec<u32> = [2026, 2027, 2028]
        .iter()
        .map(|y| default_starter_hours(january, Fte::FULL, *y))
        .collect();
    assert_eq!(hours, vec![57, 100, 43]);
    assert_eq!(hours.iter().sum::<u32>(), 200);
}

#[test]
fn trajectory_years_turn_on_the_anniversary() {
    let start = d(2026, 9, 1);
    assert_eq!(trajectory_year(start, d(2026, 8, 31)), 0);
    assert_eq!(trajectory_year(start, start), 1);
    assert_eq!(trajectory_year(start, d(2027, 8, 31)), 1);
    assert_eq!(trajectory_year(start, d(2027, 9, 1)), 2);
    assert_eq!(trajectory_year(start, d(2029, 9, 1)), 4);
}

#[test]
fn overdue_is_derived_from_the_day() {
    let due = d(2026, 10, 1);
    assert_eq!(
        milestone_state(&MilestoneProgress::Open, due, d(2026, 10, 1)),
        MilestoneState::Open
    );
    assert_eq!(
        milestone_state(&MilestoneProgress::Open, due, d(2026, 10, 2)),
        MilestoneState::Overdue
    );
    let done = MilestoneProgress::Done {
        on: d(2026, 12, 1),
        by: None,
        note: None,
    };
    assert_eq!(milestone_state(&done, due, d(2027, 1, 1)), MilestoneState::Done);
    let skipped = MilestoneProgress::Skipped {
        reason: "n.v.t.".into(),
    };
    assert_eq!(milestone_state(&skipped, due, d(2027, 1, 1)), MilestoneState::Skipped);
}

#[test]
fn a_snapshot_is_not_touched_by_template_changes_until_applied() {
    let start = d(2026, 9, 1);
    let template: Vec<(i64, MilestoneTemplate)> = default_milestones(EntryRoute::Regular)
        .into_iter()
        .enumerate()
        .map(|(i, m)| (i as i64 + 1, m))
        .collect();
    let copies = snapshot(&template, start);
    assert_eq!(copies.len(), template.len());
    assert_eq!(copies[0].due, d(2026, 9, 15));

    // The trajectory holds copies: first done, second open, rest open.
    let existing: Vec<(i64, MilestoneCopy, MilestoneProgress)> = copies
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let progress = if i == 0 {
                MilestoneProgress::Done {
                    on: d(2026, 9, 10),
                    by: None,
                    note: None,
                }
            } else {
                MilestoneProgress::Open
            };
            (100 + i as i64, c.clone(), progress)
        })
        .collect();
    assert!(plan_template_update(&existing, &template, start).is_empty());

    // The coordinator moves the intake (done) and the meeting (open),
    // drops the third milestone and adds one.
    let mut changed = template.clone();
    changed[0].1.offset = Offset::weeks(1);
    changed[1].1.offset = Offset::weeks(4);
    let dropped = changed.remove(2).0;
    changed.push((
        99,
        MilestoneTemplate {
            title: "Intervisie".into(),
            phase: Phase::Year1,
            offset: Offset::months(3),
            owner: Role::Mentor,
            domain: None,
        },
    ));
    let plan = plan_template_update(&existing, &changed, start);
    assert_eq!(plan.add.len(), 1);
    assert_eq!(plan.add[0].title, "Intervisie");
    assert_eq!(plan.add[0].due, d(2026, 12, 1));
    assert_eq!(plan.change.len(), 1, "the done intake keeps its history");
    assert_eq!(plan.change[0].0, 101);
    assert_eq!(plan.change[0].1.due, d(2026, 9, 29));
    let dropped_copy = existing
        .iter()
        .find(|e| e.1.template_milestone == Some(dropped))
        .unwrap()
        .0;
    assert_eq!(plan.remove, vec![dropped_copy]);
}

#[test]
fn fte_is_read_the_dutch_way() {
    assert_eq!(Fte::parse("0,8"), Ok(Fte(80)));
    assert_eq!(Fte::parse("0.85"), Ok(Fte(85)));
    assert_eq!(Fte::parse("1"), Ok(Fte(100)));
    assert_eq!(Fte::parse(",5"), Ok(Fte(50)));
    assert_eq!(Fte::parse("60%"), Ok(Fte(60)));
    assert_eq!(Fte::parse(""), Err(FieldProblem::Required));
    assert_eq!(Fte::parse("0"), Err(FieldProblem::FteRange));
    assert_eq!(Fte::parse("1,5"), Err(FieldProblem::FteRange));
    assert_eq!(Fte::parse("een"), Err(FieldProblem::Format));
    assert_eq!(Fte::parse("0,855"), Err(FieldProblem::Format));
    assert_eq!(Fte(80).display(), "0,8");
    assert_eq!(Fte(85).display(), "0,85");
    assert_eq!(Fte(100).display(), "1");
}

#[test]
fn dates_are_read_in_iso_and_dutch_order() {
    assert_eq!(parse_date("2026-09-01"), Ok(d(2026, 9, 1)));
    assert_eq!(parse_date("1-9-2026"), Ok(d(2026, 9, 1)));
    assert_eq!(parse_date("01/09/2026"), Ok(d(2026, 9, 1)));
    assert_eq!(parse_date("31-02-2026"), Err(FieldProblem::Format));
    assert_eq!(parse_date(" "), Err(FieldProblem::Required));
    assert_eq!(school_year(d(2026, 8, 1)), 2026);
    assert_eq!(school_year(d(2027, 7, 31)), 2026);
}

#[test]
fn terms_in_force_on_a_day() {
    let row = |from, fte| EmploymentTerms {
        valid_from: from,
        fte: Fte(fte),
        contract: Contract::Permanent,
        team: None,
        sector: Sector::Other,
        partnership: None,
    };
    let terms = vec![row(d(2026, 9, 1), 80), row(d(2027, 2, 1), 100)];
    assert_eq!(terms_on(&terms, d(2026, 12, 1)).unwrap().fte, Fte(80));
    assert_eq!(terms_on(&terms, d(2027, 2, 1)).unwrap().fte, Fte(100));
    assert_eq!(terms_on(&terms, d(2026, 1, 1)).unwrap().fte, Fte(80));
    assert!(terms_on(&[], d(2026, 1, 1)).is_none());
}

#[test]
fn codes_round_trip() {
    for route in EntryRoute::ALL {
        assert_eq!(EntryRoute::from_code(route.code()), Some(*route));
    }
    for reason in LeaveReason::ALL {
        assert_eq!(LeaveReason::from_code(reason.code()), Some(*reason));
    }
    assert!(LeaveReason::OtherMboInstitution.stays_in_education());
    assert!(!LeaveReason::LeftEducation.stays_in_education());
    assert_eq!(
        Contract::from_parts(ContractKind::FixedTerm, None),
        Err(FieldProblem::Required)
    );
}
