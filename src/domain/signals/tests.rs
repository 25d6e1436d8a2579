//! Each rule at its boundaries, holidays pausing the clock, level and score.

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn after(day: NaiveDate, n: u64) -> NaiveDate {
    day.checked_add_days(Days::new(n)).unwrap()
}

fn rules(signals: &[Signal]) -> Vec<(RuleId, Severity)> {
    signals.iter().map(|s| (s.rule, s.severity)).collect()
}

fn find(signals: &[Signal], rule: RuleId) -> Option<&Signal> {
    signals.iter().find(|s| s.rule == rule)
}

/// A starter since 1 September, paired at once, with a conversation and a
/// fine check-in on the first day: no signals.
fn calm() -> StarterFacts {
    let start = d(2026, 9, 1);
    StarterFacts {
        start: Some(start),
        mentor_pairings: vec![Span { start, end: None }],
        held_conversations: vec![start],
        checkins: vec![CheckInFact {
            on: start,
            wellbeing: 4,
            workload: 3,
            intention_to_stay: 4,
        }],
        ..Default::default()
    }
}

#[test]
fn a_finished_or_departed_starter_is_never_flagged() {
    // Without a mentor for months: red while in the induction...
    let alone = StarterFacts {
        mentor_pairings: Vec::new(),
        ..calm()
    };
    let on = d(2027, 1, 15);
    assert!(!evaluate(&alone, &Settings::default(), on).is_empty());
    // ...and nothing once it was completed or the starter left.
    let completed = StarterFacts {
        completed: Some(d(2027, 1, 10)),
        ..alone.clone()
    };
    assert!(!completed.in_induction(on));
    assert_eq!(evaluate(&completed, &Settings::default(), on), []);
    let left = StarterFacts {
        end: Some(d(2027, 1, 10)),
        ..alone.clone()
    };
    assert_eq!(evaluate(&left, &Settings::default(), on), []);
    // Completing later still counts the days before.
    let later = StarterFacts {
        completed: Some(d(2027, 2, 1)),
        ..alone
    };
    assert!(later.in_induction(on));
}

#[test]
fn a_calm_start_has_no_signals() {
    let s = Settings::default();
    assert!(evaluate(&calm(), &s, d(2026, 9, 20)).is_empty());
    assert_eq!(level(&[]), None);
    assert_eq!(score(&[], d(2026, 9, 20)), 0);
    assert!(
        evaluate(&StarterFacts::default(), &s, d(2026, 9, 20)).is_empty(),
        "not started"
    );
}

#[test]
fn no_conversation_at_27_28_55_56_days() {
    let s = Settings {
        off: vec![RuleId::NoCheckIn],
        ..Settings::default()
    };
    let f = calm();
    let start = d(2026, 9, 1);
    assert!(find(&evaluate(&f, &s, after(start, 27)), RuleId::NoConversation).is_none());
    let amber = evaluate(&f, &s, after(start, 28));
    let signal = find(&amber, RuleId::NoConversation).unwrap();
    assert_eq!(signal.severity, Severity::Amber);
    assert_eq!(
        signal.evidence,
        Evidence::DaysSince {
            since: start,
            days: 28,
            ever: true
        }
    );
    assert_eq!(
        find(&evaluate(&f, &s, after(start, 29)), RuleId::NoConversation)
            .unwrap()
            .severity,
        Severity::Amber
    );
    assert_eq!(
        find(&evaluate(&f, &s, after(start, 55)), RuleId::NoConversation)
            .unwrap()
            .severity,
        Severity::Amber
    );
    assert_eq!(
        find(&evaluate(&f, &s, after(start, 56)), RuleId::NoConversation)
            .unwrap()
            .severity,
        Severity::Red
    );
    // A conversation resets the clock.
    let mut talked = f.clone();
    talked.held_conversations.push(after(start, 40));
    assert!(find(&evaluate(&talked, &s, after(start, 56)), RuleId::NoConversation).is_none());
}

#[test]
fn holidays_pause_the_time_based_rules() {
    let s = Settings {
        off: vec![RuleId::NoCheckIn],
        ..Settings::default()
    };
    let start = d(2026, 9, 1);
    let mut f = calm();
    // Autumn holiday: 10 days inside the quiet period do not count.
    f.holidays = vec![Span {
        start: after(start, 10),
        end: Some(after(start, 19)),
    }];
    assert!(find(&evaluate(&f, &s, after(start, 28)), RuleId::NoConversation).is_none());
    assert!(find(&evaluate(&f, &s, after(start, 37)), RuleId::NoConversation).is_none());
    let signal = evaluate(&f, &s, after(start, 38));
    assert_eq!(
        find(&signal, RuleId::NoConversation).unwrap().evidence,
        Evidence::DaysSince {
            since: start,
            days: 28,
            ever: true
        }
    );
    // During a holiday nothing time-based fires at all.
    let mut during = calm();
    during.holidays = vec![Span {
        start: after(start, 60),
        end: Some(after(start, 70)),
    }];
    assert!(find(&evaluate(&during, &s, after(start, 65)), RuleId::NoConversation).is_none());
    assert_eq!(working_days(start, after(start, 3), &during.holidays), 3);
}

#[test]
fn well_being_scores_2_and_3() {
    let s = Settings::default();
    let day = d(2026, 9, 15);
    let with = |scores: &[u8]| {
        let mut f = calm();
        f.checkins = scores
            .iter()
            .enumerate()
            .map(|(i, w)| CheckInFact {
                on: after(d(2026, 9, 1), i as u64),
                wellbeing: *w,
                workload: 3,
                intention_to_stay: 4,
            })
            .collect();
        evaluate(&f, &s, day)
    };
    assert!(find(&with(&[4, 3]), RuleId::LowWellbeing).is_none(), "3 is not low");
    let low = with(&[4, 2]);
    assert_eq!(find(&low, RuleId::LowWellbeing).unwrap().severity, Severity::Red);
    assert_eq!(
        find(&low, RuleId::LowWellbeing).unwrap().evidence,
        Evidence::Scores(vec![4, 2])
    );
    let twice = with(&[2, 1]);
    assert_eq!(
        find(&twice, RuleId::LowWellbeing).unwrap().since,
        d(2026, 9, 1),
        "since the first of the two"
    );
    // Falling over three check-ins: 4 → 3 → 2 (also low), not 4 → 4 → 3.
    assert_eq!(
        find(&with(&[4, 3, 2]), RuleId::FallingWellbeing).unwrap().evidence,
        Evidence::Scores(vec![4, 3, 2])
    );
    assert!(find(&with(&[4, 4, 3]), RuleId::FallingWellbeing).is_none());
    assert!(find(&with(&[3, 2]), RuleId::FallingWellbeing).is_none(), "needs three");
}

#[test]
fn workload_intention_and_check_in_silence() {
    let s = Settings::default();
    let start = d(2026, 9, 1);
    let mut f = calm();
    f.checkins = vec![
        CheckInFact {
            on: start,
            wellbeing: 4,
            workload: 4,
            intention_to_stay: 3,
        },
        CheckInFact {
            on: after(start, 14),
            wellbeing: 4,
            workload: 5,
            intention_to_stay: 2,
        },
    ];
    f.held_conversations.push(after(start, 14));
    let signals = evaluate(&f, &s, after(start, 15));
    assert_eq!(
        rules(&signals),
        [
            (RuleId::LowIntention, Severity::Red),
            (RuleId::HighWorkload, Severity::Amber)
        ]
    );
    assert_eq!(level(&signals), Some(Severity::Red));
    // Workload 4 once, then 3: not twice in a row.
    f.checkins[1].workload = 3;
    assert!(find(&evaluate(&f, &s, after(start, 15)), RuleId::HighWorkload).is_none());
    // No check-in for 28 days after the last one (day 14): from day 42.
    assert!(find(&evaluate(&f, &s, after(start, 41)), RuleId::NoCheckIn).is_none());
    assert!(find(&evaluate(&f, &s, after(start, 42)), RuleId::NoCheckIn).is_some());
}

#[test]
fn mentor_milestones_deadlines_requests_concerns_and_hours() {
    let s = Settings::default();
    let start = d(2026, 9, 1);
    let mut f = calm();
    f.mentor_pairings.clear();
    assert!(find(&evaluate(&f, &s, after(start, 13)), RuleId::NoMentor).is_none());
    assert!(find(&evaluate(&f, &s, after(start, 14)), RuleId::NoMentor).is_some());
    // A pairing that ended on day 100: counted from its end, not the start.
    f.mentor_pairings = vec![Span {
        start: after(start, 3),
        end: Some(after(start, 100)),
    }];
    assert!(find(&evaluate(&f, &s, after(start, 113)), RuleId::NoMentor).is_none());
    let alone = evaluate(&f, &s, after(start, 114));
    assert_eq!(
        find(&alone, RuleId::NoMentor).map(|sig| &sig.evidence),
        Some(&Evidence::DaysSince {
            since: after(start, 100),
            days: 14,
            ever: true
        })
    );
    f.mentor_pairings = vec![Span {
        start: after(start, 3),
        end: None,
    }];

    f.milestones = vec![
        MilestoneFact {
            name: "Intake".into(),
            due: after(start, 10),
            closed_on: Some(after(start, 9)),
        },
        MilestoneFact {
            name: "Eerste lesbezoek".into(),
            due: after(start, 20),
            closed_on: None,
        },
    ];
    assert!(
        find(&evaluate(&f, &s, after(start, 33)), RuleId::MilestoneOverdue).is_none(),
        "13 days over"
    );
    let overdue = evaluate(&f, &s, after(start, 34));
    assert_eq!(
        find(&overdue, RuleId::MilestoneOverdue).unwrap().evidence,
        Evidence::Overdue {
            name: "Eerste lesbezoek".into(),
            due: after(start, 20),
            days: 14
        }
    );

    f.pdg = Some((d(2028, 9, 1), None));
    assert!(
        find(&evaluate(&f, &s, d(2028, 6, 2)), RuleId::PdgDeadline).is_none(),
        "91 days left"
    );
    assert_eq!(
        find(&evaluate(&f, &s, d(2028, 6, 3)), RuleId::PdgDeadline)
            .unwrap()
            .severity,
        Severity::Amber
    );
    f.pdg = Some((d(2028, 9, 1), Some(d(2028, 5, 1))));
    assert!(
        find(&evaluate(&f, &s, d(2028, 6, 3)), RuleId::PdgDeadline).is_none(),
        "passed"
    );

    let day = after(start, 5);
    f.talk_requests = vec![(after(start, 4), None)];
    assert_eq!(
        find(&evaluate(&f, &s, day), RuleId::TalkUnanswered).unwrap().severity,
        Severity::Red
    );
    f.talk_requests = vec![(after(start, 4), Some(day))];
    assert!(
        find(&evaluate(&f, &s, day), RuleId::TalkUnanswered).is_none(),
        "answered"
    );

    f.concerns = vec![(start, true)];
    assert_eq!(
        find(&evaluate(&f, &s, day), RuleId::MentorConcern).unwrap().severity,
        Severity::Red
    );
    f.held_conversations.push(after(start, 2));
    assert!(
        find(&evaluate(&f, &s, day), RuleId::MentorConcern).is_none(),
        "a later conversation without a flag"
    );

    f.contract_until = Some((d(2027, 7, 31), None));
    assert!(
        find(&evaluate(&f, &s, d(2027, 5, 31)), RuleId::ContractEnding).is_none(),
        "61 days"
    );
    assert!(find(&evaluate(&f, &s, d(2027, 6, 1)), RuleId::ContractEnding).is_some());
    f.contract_until = Some((d(2027, 7, 31), Some(d(2027, 5, 1))));
    assert!(
        find(&evaluate(&f, &s, d(2027, 6, 1)), RuleId::ContractEnding).is_none(),
        "decided"
    );

    f.hours = vec![(100, Some(100)), (100, None)];
    assert!(find(&evaluate(&f, &s, day), RuleId::HoursBelowPromise).is_none());
    f.hours = vec![(100, Some(60))];
    assert_eq!(
        find(&evaluate(&f, &s, day), RuleId::HoursBelowPromise)
            .unwrap()
            .evidence,
        Evidence::Hours {
            promised: 100,
            granted: 60
        }
    );
}

#[test]
fn settings_switch_rules_off_and_move_thresholds() {
    let start = d(2026, 9, 1);
    let f = calm();
    let strict = Settings {
        no_conversation_amber_days: 14,
        no_checkin_days: 60,
        ..Settings::default()
    };
    assert!(find(&evaluate(&f, &strict, after(start, 14)), RuleId::NoConversation).is_some());
    let off = Settings {
        off: vec![RuleId::NoConversation, RuleId::NoCheckIn],
        ..Settings::default()
    };
    assert!(evaluate(&f, &off, after(start, 60)).is_empty());
}

#[test]
fn level_and_score_order_starters() {
    let on = d(2026, 11, 1);
    let signal = |rule, severity, since| Signal {
        rule,
        severity,
        evidence: Evidence::Scores(vec![]),
        since,
    };
    let red = vec![signal(RuleId::LowWellbeing, Severity::Red, on)];
    let ambers = vec![
        signal(RuleId::NoCheckIn, Severity::Amber, on),
        signal(RuleId::HighWorkload, Severity::Amber, on),
        signal(RuleId::FallingWellbeing, Severity::Amber, on),
    ];
    let old_amber = vec![signal(RuleId::NoCheckIn, Severity::Amber, d(2026, 9, 6))];
    assert_eq!((level(&red), score(&red, on)), (Some(Severity::Red), 10));
    assert_eq!((level(&ambers), score(&ambers, on)), (Some(Severity::Amber), 9));
    // 56 days old: 3 + 4.
    assert_eq!(score(&old_amber, on), 7);
    // Lists order by level first, then score: red before three ambers.
    let mut list = [("ambers", &ambers), ("red", &red), ("old", &old_amber)];
    list.sort_by(|a, b| level(b.1).cmp(&level(a.1)).then(score(b.1, on).cmp(&score(a.1, on))));
    assert_eq!(
        list.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        ["red", "ambers", "old"]
    );
}
