//! What each role's home page shows. Later features add to these.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::alerts::WatchRow;
use super::signals::Severity;
use super::{AuditLine, PersonRef, TeamOverview, Viewer};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Home {
    pub viewer: Viewer,
    /// Requests to talk waiting for this person (mentor, coordinator): on top.
    pub talk_requests: Vec<super::checkin::TalkRequestView>,
    pub admin: Option<AdminHome>,
    pub coordinator: Option<CoordinatorHome>,
    pub team_leader: Option<TeamLeaderHome>,
    pub mentor: Option<MentorHome>,
    pub starter: Option<StarterHome>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminHome {
    pub institutions: usize,
    pub coordinators: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoordinatorHome {
    pub teams: usize,
    pub people: i64,
    /// People who have not activated their account yet.
    pub invited: usize,
    pub latest_events: Vec<AuditLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamLeaderHome {
    pub teams: Vec<TeamOverview>,
    /// Starters with an alert nobody acknowledged yet, most urgent first
    /// (at most [`ATTENTION_SHOWN`]).
    pub attention: Vec<WatchRow>,
    /// All starters who need attention now (the rest is on the watch list).
    pub attention_total: usize,
    /// The previous login, when there was one: "since your last visit".
    pub since: Option<NaiveDate>,
    /// Alerts opened on or after that day.
    pub new_since: usize,
    /// Guidance at a glance, per team.
    pub figures: Vec<TeamGuidance>,
}

/// How many starters the team leader's home lists by name.
pub const ATTENTION_SHOWN: usize = 8;

/// A conversation this recent counts as "talked lately" (six weeks).
pub const RECENT_CONVERSATION_DAYS: i64 = 42;

/// One team's guidance in numbers: starters in their induction, how many
/// had a conversation in the last six weeks, and how many are flagged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamGuidance {
    pub id: super::TeamId,
    pub team: String,
    pub starters: u32,
    pub talked_recently: u32,
    pub red: u32,
    pub amber: u32,
}

impl TeamLeaderHome {
    /// The home from the team leader's teams and their watch list (every
    /// starter in scope, `WatchShow::All`).
    pub fn new(teams: Vec<TeamOverview>, rows: Vec<WatchRow>, since: Option<NaiveDate>) -> Self {
        let mut figures: Vec<TeamGuidance> = teams
            .iter()
            .map(|t| TeamGuidance {
                id: t.id,
                team: t.name.clone(),
                starters: 0,
                talked_recently: 0,
                red: 0,
                amber: 0,
            })
            .collect();
        for row in &rows {
            let Some(figure) = row
                .team
                .as_ref()
                .and_then(|name| figures.iter_mut().find(|f| &f.team == name))
            else {
                continue;
            };
            figure.starters += 1;
            if row
                .days_since_conversation
                .is_some_and(|d| d <= RECENT_CONVERSATION_DAYS)
            {
                figure.talked_recently += 1;
            }
            match row.level {
                Some(Severity::Red) => figure.red += 1,
                Some(Severity::Amber) => figure.amber += 1,
                None => {}
            }
        }
        let new_since = since.map_or(0, |since| {
            rows.iter()
                .filter(|r| r.alert.as_ref().is_some_and(|a| a.opened_on >= since))
                .count()
        });
        // The watch list comes ordered by level and score.
        let attention: Vec<WatchRow> = rows.into_iter().filter(|r| r.needs_attention).collect();
        let attention_total = attention.len();
        Self {
            teams,
            attention: attention.into_iter().take(ATTENTION_SHOWN).collect(),
            attention_total,
            since,
            new_since,
            figures,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentorHome {
    pub teams: Vec<String>,
    pub coordinators: Vec<Contact>,
    /// "My starters": current mentees, longest without contact first.
    pub mentees: Vec<super::mentoring::MenteeRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StarterHome {
    pub team: Option<String>,
    pub coordinators: Vec<Contact>,
    /// Current mentors (work-place mentor first).
    pub mentors: Vec<Contact>,
    pub last_checkin: Option<chrono::NaiveDate>,
    /// When the next check-in is due (none without an employment).
    pub checkin_due: Option<chrono::NaiveDate>,
    /// It is due today or overdue.
    pub checkin_due_now: bool,
    pub next_conversation: Option<chrono::NaiveDate>,
    /// Held conversations whose report waits for the starter's confirmation.
    pub reports_to_confirm: usize,
    pub open_actions: Vec<super::mentoring::ActionView>,
    /// The next open milestone of the trajectory: title and due date.
    pub next_milestone: Option<(String, chrono::NaiveDate)>,
    /// The latest request to talk, to show whether it was answered.
    pub talk_request: Option<super::checkin::TalkRequestView>,
}

/// Someone to reach, with their e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub person: PersonRef,
    pub email: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::alerts::{AlertState, AlertView};
    use crate::domain::{PersonId, Sector, TeamId};

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn team(id: i64, name: &str) -> TeamOverview {
        TeamOverview {
            id: TeamId(id),
            name: name.to_owned(),
            sector: Sector::Technology,
            leaders: Vec::new(),
            member_count: 0,
        }
    }

    fn row(
        id: i64,
        team: &str,
        level: Option<Severity>,
        talked: Option<i64>,
        alert: Option<(u32, AlertState)>,
    ) -> WatchRow {
        WatchRow {
            starter: PersonRef {
                id: PersonId(id),
                name: format!("Starter {id}"),
            },
            team: Some(team.to_owned()),
            level,
            score: 0,
            signals: Vec::new(),
            risk: None,
            reasons: Vec::new(),
            days_since_conversation: talked,
            needs_attention: alert.is_some_and(|(_, state)| state == AlertState::Open),
            alert: alert.map(|(opened, state)| AlertView {
                id,
                level: level.unwrap_or(Severity::Amber),
                rules: Vec::new(),
                opened_on: day(opened),
                state,
                snoozed_until: None,
                history: Vec::new(),
            }),
        }
    }

    #[test]
    fn the_team_leaders_home_counts_per_team_and_lists_who_needs_attention() {
        let rows = vec![
            row(
                1,
                "Techniek",
                Some(Severity::Red),
                Some(50),
                Some((20, AlertState::Open)),
            ),
            row(
                2,
                "Techniek",
                Some(Severity::Amber),
                Some(42),
                Some((10, AlertState::Acknowledged)),
            ),
            row(3, "Zorg", Some(Severity::Amber), None, Some((25, AlertState::Open))),
            row(4, "Zorg", None, Some(3), None),
            row(5, "Elders", Some(Severity::Red), None, Some((26, AlertState::Open))),
        ];
        let home = TeamLeaderHome::new(vec![team(1, "Techniek"), team(2, "Zorg")], rows, Some(day(21)));
        assert_eq!(
            home.figures,
            vec![
                TeamGuidance {
                    id: TeamId(1),
                    team: "Techniek".into(),
                    starters: 2,
                    talked_recently: 1,
                    red: 1,
                    amber: 1
                },
                TeamGuidance {
                    id: TeamId(2),
                    team: "Zorg".into(),
                    starters: 2,
                    talked_recently: 1,
                    red: 0,
                    amber: 1
                },
            ]
        );
        // Acknowledged alerts wait for nobody; the order of the list is kept.
        let ids: Vec<i64> = home.attention.iter().map(|r| r.starter.id.0).collect();
        assert_eq!(ids, vec![1, 3, 5]);
        assert_eq!(home.attention_total, 3);
        // Opened on or after the previous visit (the 21st): 3 and 5.
        assert_eq!(home.new_since, 2);
        let first_visit = TeamLeaderHome::new(Vec::new(), Vec::new(), None);
        assert_eq!((first_visit.new_since, first_visit.attention_total), (0, 0));
    }

    #[test]
    fn the_home_names_at_most_a_handful_of_starters() {
        let rows = (0..20)
            .map(|i| row(i, "Techniek", Some(Severity::Amber), None, Some((1, AlertState::Open))))
            .collect();
        let home = TeamLeaderHome::new(vec![team(1, "Techniek")], rows, None);
        assert_eq!(home.attention.len(), ATTENTION_SHOWN);
        assert_eq!(home.attention_total, 20);
    }
}
