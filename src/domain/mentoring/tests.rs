//! The suggestion score, its ordering, the pairing rules and the validation
//! of a logged conversation.

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const NURSING: TeamId = TeamId(1);
const SOFTWARE: TeamId = TeamId(2);
const STARTER: PersonId = PersonId(100);

fn need() -> Need {
    Need {
        starter: STARTER,
        team: Some(NURSING),
        sector: Some(Sector::CareWelfare),
    }
}

fn candidate(
    id: i64,
    name: &str,
    profile: Option<(u8, Vec<Sector>, bool, u8)>,
    teams: Vec<TeamId>,
    active: u32,
) -> Candidate {
    Candidate {
        mentor: PersonRef {
            id: PersonId(id),
            name: name.to_owned(),
        },
        profile: profile.map(|(capacity, sectors, trained, hours)| MentorProfile {
            person: PersonId(id),
            capacity,
            sectors,
            subjects: String::new(),
            trained,
            trained_on: None,
            hours_per_week: hours,
            availability: String::new(),
        }),
        teams,
        leads: Vec::new(),
        active_mentees: active,
    }
}

#[test]
fn every_point_of_the_score_has_a_reason() {
    let ideal = candidate(
        1,
        "Ideaal",
        Some((3, vec![Sector::CareWelfare], true, 2)),
        vec![NURSING],
        0,
    );
    let s = score(&ideal, &need(), TeamPreference::Same);
    // 30 sector + 20 team + (10 + 2×5) places + 15 trained + 10 hours
    assert_eq!(s.score, 95);
    assert_eq!(s.score, s.reasons.iter().map(|r| r.points).sum::<i32>());
    assert!(s.reasons.contains(&ScoredReason {
        reason: Reason::SameSector,
        points: POINTS_SAME_SECTOR
    }));
    assert!(s.reasons.contains(&ScoredReason {
        reason: Reason::PlacesLeft { left: 3 },
        points: 20
    }));
    assert!(s.reasons.contains(&ScoredReason {
        reason: Reason::SameTeam { preferred: true },
        points: 20
    }));
    assert_eq!(s.places_left, Some(3));

    let full = candidate(
        2,
        "Vol",
        Some((1, vec![Sector::Technology], false, 1)),
        vec![SOFTWARE],
        1,
    );
    let s = score(&full, &need(), TeamPreference::Same);
    // 0 other sector + 0 other team + −50 full + 0 not trained + 5 for one hour
    assert_eq!(s.score, -45);
    assert!(s.reasons.iter().any(|r| r.reason == Reason::Full));
    assert_eq!(s.places_left, Some(0));

    let unknown = candidate(3, "Onbekend", None, vec![], 0);
    let s = score(&unknown, &need(), TeamPreference::Either);
    assert_eq!(s.score, POINTS_NO_PROFILE);
    assert_eq!(s.places_left, None);
}

#[test]
fn the_team_preference_decides_which_team_earns_points() {
    let same_team = candidate(1, "A", Some((2, vec![], false, 0)), vec![NURSING], 0);
    let other_team = candidate(2, "B", Some((2, vec![], false, 0)), vec![SOFTWARE], 0);
    let base = score(&other_team, &need(), TeamPreference::Either).score;
    assert_eq!(score(&same_team, &need(), TeamPreference::Either).score, base);
    assert_eq!(
        score(&same_team, &need(), TeamPreference::Same).score,
        base + POINTS_TEAM_PREFERENCE
    );
    assert_eq!(score(&other_team, &need(), TeamPreference::Same).score, base);
    assert_eq!(
        score(&other_team, &need(), TeamPreference::Different).score,
        base + POINTS_TEAM_PREFERENCE
    );
    assert_eq!(score(&same_team, &need(), TeamPreference::Different).score, base);
}

#[test]
fn suggestions_are_ordered_by_score_then_free_places_then_name() {
    let candidates = vec![
        candidate(
            1,
            "Zeno",
            Some((4, vec![Sector::CareWelfare], true, 2)),
            vec![NURSING],
            3,
        ), // 30+20+10+15+10 = 85
        candidate(
            2,
            "Bea",
            Some((4, vec![Sector::CareWelfare], true, 2)),
            vec![NURSING],
            1,
        ), // 30+20+20+15+10 = 95
        candidate(
            3,
            "Anouk",
            Some((2, vec![Sector::CareWelfare], true, 2)),
            vec![NURSING],
            1,
        ), // 85, one place
        candidate(
            4,
            "Eva",
            Some((2, vec![Sector::CareWelfare], true, 2)),
            vec![NURSING],
            1,
        ), // 85, one place
        candidate(
            5,
            "Daan",
            Some((2, vec![Sector::Technology], false, 0)),
            vec![SOFTWARE],
            2,
        ), // full: -50
    ];
    let ranked = suggest(&candidates, &need(), TeamPreference::Same);
    let names: Vec<&str> = ranked.iter().map(|s| s.mentor.name.as_str()).collect();
    // Zeno, Anouk and Eva score 85 with one free place each: by name.
    assert_eq!(names, ["Bea", "Anouk", "Eva", "Zeno", "Daan"]);
    assert!(
        !needs_override_reason(&ranked, PersonId(2)),
        "the top suggestion needs no reason"
    );
    assert!(
        needs_override_reason(&ranked, PersonId(5)),
        "a full mentor needs a reason"
    );
    assert!(
        needs_override_reason(&ranked, PersonId(99)),
        "someone not suggested needs a reason"
    );
}

#[test]
fn a_team_leader_is_never_suggested_for_a_starter_of_their_own_team() {
    let mut leader = candidate(
        1,
        "Teamleider",
        Some((5, vec![Sector::CareWelfare], true, 4)),
        vec![NURSING],
        0,
    );
    leader.leads = vec![NURSING];
    let mut other_leader = candidate(2, "Andere teamleider", Some((5, vec![], true, 4)), vec![SOFTWARE], 0);
    other_leader.leads = vec![SOFTWARE];
    let starter_self = candidate(STARTER.0, "Zelf", Some((5, vec![], true, 4)), vec![NURSING], 0);
    let ranked = suggest(&[leader, other_leader, starter_self], &need(), TeamPreference::Same);
    let names: Vec<&str> = ranked.iter().map(|s| s.mentor.name.as_str()).collect();
    assert_eq!(names, ["Andere teamleider"]);
    assert_eq!(
        pairing_allowed(PersonId(1), &[NURSING], &need()),
        Err(PairingRefusal::LeadsStartersTeam)
    );
    assert_eq!(pairing_allowed(STARTER, &[], &need()), Err(PairingRefusal::SamePerson));
    assert_eq!(pairing_allowed(PersonId(2), &[SOFTWARE], &need()), Ok(()));
}

#[test]
fn one_open_pairing_per_kind_re_pairing_closes_the_old_one() {
    let open = [
        OpenPairing {
            id: 7,
            kind: PairingKind::WorkplaceMentor,
            mentor: PersonId(1),
        },
        OpenPairing {
            id: 8,
            kind: PairingKind::SubjectCoach,
            mentor: PersonId(2),
        },
    ];
    assert_eq!(
        pairings_to_close(&open, PairingKind::WorkplaceMentor, PersonId(3)),
        Ok(vec![7])
    );
    assert_eq!(
        pairings_to_close(&open, PairingKind::TeacherEducator, PersonId(1)),
        Ok(vec![])
    );
    assert_eq!(
        pairings_to_close(&open, PairingKind::WorkplaceMentor, PersonId(1)),
        Err(AlreadyPaired)
    );
    assert!(PairingKind::WorkplaceMentor.is_primary() && !PairingKind::SubjectCoach.is_primary());
}

fn form() -> ConversationForm {
    ConversationForm {
        status: "held".into(),
        on: String::new(),
        duration: String::new(),
        kind: "guidance".into(),
        topics: vec!["workload".into(), "didactics".into(), "workload".into()],
        tags: "Stage, stage; rooster ".into(),
        summary: "  Goed gesprek.\r\nVolgende keer lesbezoek. ".into(),
        note: String::new(),
        concern: "none".into(),
        actions: vec![
            ("Lesvoorbereiding delen".into(), "starter".into(), "2026-12-06".into()),
            (String::new(), "mentor".into(), String::new()),
        ],
    }
}

#[test]
fn a_typical_log_uses_the_defaults_and_cleans_its_input() {
    let today = d(2026, 11, 29);
    let input = form().validate(today).unwrap();
    assert_eq!(input.on, today, "an empty date is today");
    assert_eq!(input.duration_minutes, DEFAULT_DURATION);
    assert_eq!(input.topics, [Topic::Didactics, Topic::Workload]);
    assert_eq!(input.tags, ["stage", "rooster"]);
    assert_eq!(input.summary, "Goed gesprek.\nVolgende keer lesbezoek.");
    assert_eq!(input.concern, None);
    assert_eq!(
        input.actions,
        [NewAction {
            description: "Lesvoorbereiding delen".into(),
            owner: ActionOwner::Starter,
            due_on: Some(d(2026, 12, 6)),
        }]
    );
}

#[test]
fn bad_input_gives_one_error_per_field() {
    let today = d(2026, 11, 29);
    let bad = ConversationForm {
        status: "held".into(),
        on: "2026-12-01".into(),
        duration: "600".into(),
        kind: "gossip".into(),
        topics: vec!["weather".into()],
        tags: "x".repeat(TAG_MAX + 1),
        summary: "s".repeat(SUMMARY_MAX + 1),
        note: "bell\u{7}".into(),
        concern: "panic".into(),
        actions: vec![("Doen".into(), "team_leader".into(), "morgen".into())],
    };
    let errors = bad.validate(today).unwrap_err().into_vec();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "on",
            "duration",
            "kind",
            "topics",
            "tags",
            "summary",
            "note",
            "concern",
            "action1_owner",
            "action1_due"
        ]
    );
    assert_eq!(
        errors[0].problem,
        FieldProblem::InFuture,
        "a held conversation is not in the future"
    );

    let planned = ConversationForm {
        status: "planned".into(),
        on: "2026-12-01".into(),
        ..form()
    };
    assert_eq!(planned.validate(today).unwrap().status, ConversationStatus::Planned);
}
