//! Mentors, pairings and conversation logs: the code tables, the mentor
//! suggestion score, the pairing rules and what each role gets to see.
//!
//! Everything here is pure. The score explains itself: every point comes
//! with a reason the coordinator can read, and the weights are named
//! constants documented below.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::code::coded;
use super::{FieldErrors, FieldProblem, PersonId, PersonRef, Sector, TeamId};

coded!(
    /// What kind of guidance a pairing gives. The work-place mentor is the
    /// primary mentor: one at a time per starter.
    PairingKind {
        WorkplaceMentor = "workplace_mentor",
        SubjectCoach = "subject_coach",
        /// Institute-based teacher educator (instituutsopleider).
        TeacherEducator = "teacher_educator",
    }
);

impl PairingKind {
    pub fn is_primary(self) -> bool {
        self == PairingKind::WorkplaceMentor
    }
}

coded!(
    /// Why a pairing ended.
    PairingEndReason {
        RePaired = "re_paired",
        NotAGoodFit = "not_a_good_fit",
        MentorUnavailable = "mentor_unavailable",
        StarterLeft = "starter_left",
        Completed = "completed",
        Other = "other",
    }
);

coded!(
    /// The answer to "is this a good match?" after the first conversation.
    FitAnswer {
        Good = "good",
        Unsure = "unsure",
        Poor = "poor",
    }
);

coded!(
    /// The kind of a mentoring conversation.
    ConversationKind {
        Intake = "intake",
        /// Begeleidingsgesprek.
        Guidance = "guidance",
        /// Lesbezoek.
        LessonObservation = "lesson_observation",
        /// Intervisie.
        PeerConsultation = "peer_consultation",
        Evaluation = "evaluation",
        /// Eindgesprek.
        Closing = "closing",
    }
);

coded!(
    /// Planned for a date, or held on it.
    ConversationStatus {
        Planned = "planned",
        Held = "held",
    }
);

coded!(
    /// The fixed list of topics a conversation can touch (free tags add to it).
    Topic {
        ClassroomManagement = "classroom_management",
        Didactics = "didactics",
        SubjectKnowledge = "subject_knowledge",
        StudentGuidance = "student_guidance",
        Workload = "workload",
        Wellbeing = "wellbeing",
        TeamColleagues = "team_colleagues",
        PdgStudy = "pdg_study",
        Career = "career",
    }
);

coded!(
    /// A mentor's concern about the starter, by severity.
    Concern {
        Minor = "minor",
        Serious = "serious",
    }
);

coded!(
    /// Who carries out an agreed action.
    ActionOwner {
        Starter = "starter",
        Mentor = "mentor",
    }
);

coded!(
    /// Whether the institution wants mentors from the starter's own team.
    TeamPreference {
        Same = "same",
        Different = "different",
        Either = "either",
    }
);

// ------------------------------------------------------------------ profiles

pub const CAPACITY_MAX: u8 = 20;
pub const HOURS_MAX: u8 = 40;
pub const PROFILE_TEXT_MAX: usize = 500;

/// What a mentor offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentorProfile {
    pub person: PersonId,
    /// How many starters at most at the same time.
    pub capacity: u8,
    pub sectors: Vec<Sector>,
    pub subjects: String,
    pub trained: bool,
    pub trained_on: Option<NaiveDate>,
    /// Hours per week available for mentoring.
    pub hours_per_week: u8,
    pub availability: String,
}

// ---------------------------------------------------------------- suggestions

/// Points for a mentor who works in the starter's sector.
pub const POINTS_SAME_SECTOR: i32 = 30;
/// Points when the team matches the institution's preference (same team,
/// or another team).
pub const POINTS_TEAM_PREFERENCE: i32 = 20;
/// Points for the first free place, and per further free place (at most two more).
pub const POINTS_FIRST_FREE_PLACE: i32 = 10;
pub const POINTS_PER_FREE_PLACE: i32 = 5;
/// Points taken off when the mentor has no place left.
pub const POINTS_FULL: i32 = -50;
/// Points for a mentor trained as mentor.
pub const POINTS_TRAINED: i32 = 15;
/// Points for at least two hours a week (one hour gives half).
pub const POINTS_HOURS: i32 = 10;
/// Points taken off for a mentor without a profile (capacity unknown).
pub const POINTS_NO_PROFILE: i32 = -20;
/// How many ranked suggestions the pairing page offers.
pub const SUGGESTIONS_SHOWN: usize = 5;

/// A possible mentor, with what the score needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub mentor: PersonRef,
    pub profile: Option<MentorProfile>,
    /// Teams the mentor works in (their mentor memberships).
    pub teams: Vec<TeamId>,
    /// Teams the person leads as team leader.
    pub leads: Vec<TeamId>,
    /// Starters they mentor now as primary mentor.
    pub active_mentees: u32,
}

/// The starter a mentor is sought for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Need {
    pub starter: PersonId,
    pub team: Option<TeamId>,
    pub sector: Option<Sector>,
}

/// One reason in a score, shown in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    SameSector,
    OtherSector,
    SameTeam { preferred: bool },
    OtherTeam { preferred: bool },
    PlacesLeft { left: u32 },
    Full,
    Trained,
    NotTrained,
    Hours { hours: u8 },
    NoProfile,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoredReason {
    pub reason: Reason,
    pub points: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub mentor: PersonRef,
    pub score: i32,
    pub reasons: Vec<ScoredReason>,
    /// Free places (negative when over capacity); `None` without a profile.
    pub places_left: Option<i32>,
}

/// Why a pairing is not allowed at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairingRefusal {
    /// Nobody mentors themselves.
    SamePerson,
    /// Coaching and assessment stay apart: a team leader never mentors a
    /// starter of a team they lead.
    LeadsStartersTeam,
}

/// May `candidate` mentor the starter in `need` at all?
pub fn pairing_allowed(candidate_person: PersonId, leads: &[TeamId], need: &Need) -> Result<(), PairingRefusal> {
    if candidate_person == need.starter {
        return Err(PairingRefusal::SamePerson);
    }
    if need.team.is_some_and(|team| leads.contains(&team)) {
        return Err(PairingRefusal::LeadsStartersTeam);
    }
    Ok(())
}

/// The score of one candidate, with every point explained.
pub fn score(candidate: &Candidate, need: &Need, preference: TeamPreference) -> Suggestion {
    let mut reasons = Vec::new();
    let mut add = |reason: Reason, points: i32| reasons.push(ScoredReason { reason, points });
    let mut places_left = None;
    match &candidate.profile {
        None => add(Reason::NoProfile, POINTS_NO_PROFILE),
        Some(profile) => {
            if let Some(sector) = need.sector {
                if profile.sectors.contains(&sector) {
                    add(Reason::SameSector, POINTS_SAME_SECTOR);
                } else {
                    add(Reason::OtherSector, 0);
                }
            }
            let left = i32::from(profile.capacity) - candidate.active_mentees as i32;
            places_left = Some(left);
            if left > 0 {
                let extra = (left - 1).min(2);
                add(
                    Reason::PlacesLeft { left: left as u32 },
                    POINTS_FIRST_FREE_PLACE + extra * POINTS_PER_FREE_PLACE,
                );
            } else {
                add(Reason::Full, POINTS_FULL);
            }
            if profile.trained {
                add(Reason::Trained, POINTS_TRAINED);
            } else {
                add(Reason::NotTrained, 0);
            }
            let hours_points = match profile.hours_per_week {
                0 => 0,
                1 => POINTS_HOURS / 2,
                _ => POINTS_HOURS,
            };
            add(
                Reason::Hours {
                    hours: profile.hours_per_week,
                },
                hours_points,
            );
        }
    }
    if let Some(team) = need.team {
        let same = candidate.teams.contains(&team);
        match (preference, same) {
            (TeamPreference::Either, true) => add(Reason::SameTeam { preferred: false }, 0),
            (TeamPreference::Either, false) => add(Reason::OtherTeam { preferred: false }, 0),
            (TeamPreference::Same, true) => add(Reason::SameTeam { preferred: true }, POINTS_TEAM_PREFERENCE),
            (TeamPreference::Same, false) => add(Reason::OtherTeam { preferred: false }, 0),
            (TeamPreference::Different, false) => add(Reason::OtherTeam { preferred: true }, POINTS_TEAM_PREFERENCE),
            (TeamPreference::Different, true) => add(Reason::SameTeam { preferred: false }, 0),
        }
    }
    Suggestion {
        mentor: candidate.mentor.clone(),
        score: reasons.iter().map(|r| r.points).sum(),
        reasons,
        places_left,
    }
}

/// Every allowed candidate, best first: by score, then free places, then name.
pub fn suggest(candidates: &[Candidate], need: &Need, preference: TeamPreference) -> Vec<Suggestion> {
    let mut ranked: Vec<Suggestion> = candidates
        .iter()
        .filter(|c| pairing_allowed(c.mentor.id, &c.leads, need).is_ok())
        .map(|c| score(c, need, preference))
        .collect();
    ranked.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| {
                b.places_left
                    .unwrap_or(i32::MIN)
                    .cmp(&a.places_left.unwrap_or(i32::MIN))
            })
            .then_with(|| super::search_key(&[&a.mentor.name]).cmp(&super::search_key(&[&b.mentor.name])))
    });
    ranked
}

/// Choosing a mentor outside the offered suggestions, or one known to have
/// no free place, needs a reason.
pub fn needs_override_reason(ranked: &[Suggestion], mentor: PersonId) -> bool {
    match ranked.iter().position(|s| s.mentor.id == mentor) {
        Some(rank) => rank >= SUGGESTIONS_SHOWN || ranked[rank].places_left.is_some_and(|left| left <= 0),
        None => true,
    }
}

/// An open pairing of a starter, as the pairing rule needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenPairing {
    pub id: i64,
    pub kind: PairingKind,
    pub mentor: PersonId,
}

/// The mentor is already paired with the starter in that kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlreadyPaired;

/// What pairing `mentor` as `kind` does to the starter's open pairings:
/// the open pairing of the same kind is closed ("re-paired"), the others
/// stay. `Err` when the same mentor is already paired in that kind.
pub fn pairings_to_close(open: &[OpenPairing], kind: PairingKind, mentor: PersonId) -> Result<Vec<i64>, AlreadyPaired> {
    if open.iter().any(|p| p.kind == kind && p.mentor == mentor) {
        return Err(AlreadyPaired);
    }
    Ok(open.iter().filter(|p| p.kind == kind).map(|p| p.id).collect())
}

// -------------------------------------------------------------- conversations

pub const SUMMARY_MAX: usize = 4000;
pub const NOTE_MAX: usize = 4000;
pub const REFLECTION_MAX: usize = 2000;
pub const ACTION_MAX: usize = 300;
pub const TAG_MAX: usize = 40;
pub const TAGS_MAX: usize = 10;
pub const DURATION_MIN: u16 = 5;
pub const DURATION_MAX: u16 = 480;
/// The duration the log form proposes.
pub const DEFAULT_DURATION: u16 = 60;
/// How many new actions the log form offers at once.
pub const ACTIONS_PER_LOG: usize = 2;

/// A conversation as the mentor types it, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConversationForm {
    pub status: String,
    pub on: String,
    pub duration: String,
    pub kind: String,
    pub topics: Vec<String>,
    pub tags: String,
    pub summary: String,
    pub note: String,
    pub concern: String,
    /// (description, owner, due date) per new action; empty descriptions are skipped.
    pub actions: Vec<(String, String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAction {
    pub description: String,
    pub owner: ActionOwner,
    pub due_on: Option<NaiveDate>,
}

/// A validated conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationInput {
    pub status: ConversationStatus,
    pub on: NaiveDate,
    pub duration_minutes: u16,
    pub kind: ConversationKind,
    pub topics: Vec<Topic>,
    pub tags: Vec<String>,
    pub summary: String,
    pub note: String,
    pub concern: Option<Concern>,
    pub actions: Vec<NewAction>,
}

/// Split "klassenmanagement, stage" into tags: trimmed, lower case, no
/// duplicates.
pub fn parse_tags(errors: &mut FieldErrors, raw: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in raw.split([',', ';']).map(str::trim).filter(|t| !t.is_empty()) {
        if tag.chars().count() > TAG_MAX {
            errors.add("tags", FieldProblem::TooLong { max: TAG_MAX });
            return tags;
        }
        if tag.chars().any(char::is_control) {
            errors.add("tags", FieldProblem::ControlCharacters);
            return tags;
        }
        let tag = tag.to_lowercase();
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if tags.len() > TAGS_MAX {
        errors.add(
            "tags",
            FieldProblem::OutOfRange {
                min: 0,
                max: TAGS_MAX as i32,
            },
        );
    }
    tags
}

impl ConversationForm {
    /// Check every field; all problems at once.
    pub fn validate(&self, today: NaiveDate) -> Result<ConversationInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let status = ConversationStatus::from_code(self.status.trim());
        if status.is_none() {
            errors.add("status", FieldProblem::UnknownChoice);
        }
        let on = if self.on.trim().is_empty() {
            Some(today)
        } else {
            match super::time::parse_date(&self.on) {
                Ok(on) => Some(on),
                Err(problem) => {
                    errors.add("on", problem);
                    None
                }
            }
        };
        if let (Some(ConversationStatus::Held), Some(on)) = (status, on)
            && on > today
        {
            errors.add("on", FieldProblem::InFuture);
        }
        let duration = match self.duration.trim() {
            "" => Some(DEFAULT_DURATION),
            raw => match raw.parse::<u16>() {
                Ok(minutes) if (DURATION_MIN..=DURATION_MAX).contains(&minutes) => Some(minutes),
                _ => {
                    errors.add(
                        "duration",
                        FieldProblem::OutOfRange {
                            min: i32::from(DURATION_MIN),
                            max: i32::from(DURATION_MAX),
                        },
                    );
                    None
                }
            },
        };
        let kind = ConversationKind::from_code(self.kind.trim());
        if kind.is_none() {
            errors.add("kind", FieldProblem::UnknownChoice);
        }
        let mut topics = Vec::new();
        for code in &self.topics {
            match Topic::from_code(code.trim()) {
                Some(topic) if !topics.contains(&topic) => topics.push(topic),
                Some(_) => {}
                None => errors.add("topics", FieldProblem::UnknownChoice),
            }
        }
        topics.sort();
        let tags = parse_tags(&mut errors, &self.tags);
        let summary = super::text::long_text(&mut errors, "summary", &self.summary, SUMMARY_MAX);
        let note = super::text::long_text(&mut errors, "note", &self.note, NOTE_MAX);
        let concern = match self.concern.trim() {
            "" | "none" => None,
            code => {
                let concern = Concern::from_code(code);
                if concern.is_none() {
                    errors.add("concern", FieldProblem::UnknownChoice);
                }
                concern
            }
        };
        let mut actions = Vec::new();
        for (index, (description, owner, due)) in self.actions.iter().enumerate() {
            let field = |name: &str| format!("action{}_{name}", index + 1);
            let description = super::text::long_text(&mut errors, &field("text"), description, ACTION_MAX);
            if description.is_empty() {
                continue;
            }
            let owner = ActionOwner::from_code(owner.trim());
            if owner.is_none() {
                errors.add(&field("owner"), FieldProblem::UnknownChoice);
            }
            let due_on = match due.trim() {
                "" => None,
                raw => match super::time::parse_date(raw) {
                    Ok(on) => Some(on),
                    Err(problem) => {
                        errors.add(&field("due"), problem);
                        None
                    }
                },
            };
            if let Some(owner) = owner {
                actions.push(NewAction {
                    description,
                    owner,
                    due_on,
                });
            }
        }
        match (status, on, duration, kind) {
            (Some(status), Some(on), Some(duration_minutes), Some(kind)) if errors.is_empty() => {
                Ok(ConversationInput {
                    status,
                    on,
                    duration_minutes,
                    kind,
                    topics,
                    tags,
                    summary,
                    note,
                    concern,
                    actions,
                })
            }
            _ => Err(errors),
        }
    }
}

// ---------------------------------------------------------------------- views

/// A pairing as everybody involved may see it (no conversation content).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairingView {
    pub id: i64,
    pub starter: PersonRef,
    pub mentor: PersonRef,
    pub kind: PairingKind,
    pub start: NaiveDate,
    pub end: Option<(NaiveDate, PairingEndReason)>,
    pub override_reason: Option<String>,
    /// The starter's and the mentor's answers to the fit check, if given.
    pub starter_fit: Option<FitAnswer>,
    pub mentor_fit: Option<FitAnswer>,
}

/// A conversation without any content: what team leaders and coordinators
/// see (date, kind, status, duration, concern flag).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationFacts {
    pub id: i64,
    pub status: ConversationStatus,
    pub on: NaiveDate,
    pub duration_minutes: u16,
    pub kind: ConversationKind,
    pub concern: Option<Concern>,
    pub confirmed: bool,
    pub mentor_name: String,
}

/// Guidance of one starter without content, for the starter's page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuidanceOverview {
    pub pairings: Vec<PairingView>,
    pub conversations: Vec<ConversationFacts>,
    pub held: u32,
    pub planned: u32,
    pub concerns: u32,
    /// The caller may pair this starter (coordinator).
    pub can_pair: bool,
}

/// An agreed action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionView {
    pub id: i64,
    pub description: String,
    pub owner: ActionOwner,
    pub due_on: Option<NaiveDate>,
    pub done: bool,
}

/// A conversation with its content, for the starter and their mentor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationView {
    pub id: i64,
    pub status: ConversationStatus,
    pub on: NaiveDate,
    pub duration_minutes: u16,
    pub kind: ConversationKind,
    pub topics: Vec<Topic>,
    pub tags: Vec<String>,
    pub summary: String,
    /// Only ever filled for the note's author.
    pub private_note: Option<String>,
    pub actions: Vec<ActionView>,
    pub concern: Option<Concern>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub reflection: Option<String>,
    pub mentor: PersonRef,
    /// The caller wrote it and may change it.
    pub can_edit: bool,
    /// The caller is the starter and it is held and not yet confirmed.
    pub can_confirm: bool,
}

/// One starter on the mentor's home.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MenteeRow {
    pub starter: PersonRef,
    pub kind: PairingKind,
    pub since: NaiveDate,
    pub last_held: Option<NaiveDate>,
    /// Days since the last held conversation (or since the pairing began).
    pub days_since_contact: i64,
    pub open_actions: u32,
    pub next_planned: Option<NaiveDate>,
    /// The pairing whose fit check this mentor has yet to answer.
    pub fit_question: Option<i64>,
    /// Today's dropout signals of the mentee (most serious first).
    pub signals: Vec<super::signals::Signal>,
}

/// The mentor's page about one mentee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MenteePage {
    pub starter: PersonRef,
    pub email: Option<String>,
    pub pairing: PairingView,
    pub conversations: Vec<ConversationView>,
    pub fit_question: Option<i64>,
    /// The starter's check-ins, oldest first.
    pub checkins: Vec<super::checkin::CheckInView>,
}

/// What the log form starts with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogDefaults {
    pub starter: PersonRef,
    pub today: NaiveDate,
    pub kind: ConversationKind,
    pub duration_minutes: u16,
    /// Editing (or holding a planned) conversation: its current content.
    pub editing: Option<ConversationView>,
}

/// The starter's own guidance: mentors, conversations, actions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyGuidance {
    pub mentors: Vec<(PairingView, Option<String>)>,
    pub conversations: Vec<ConversationView>,
    pub fit_question: Option<i64>,
}

/// A starter without a primary mentor, on the coordinator's pairing page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnpairedStarter {
    pub starter: PersonRef,
    pub team_name: Option<String>,
    pub start: NaiveDate,
    pub days_without: i64,
}

/// A mentor's load, on the coordinator's pairing page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentorLoad {
    pub mentor: PersonRef,
    pub profile: Option<MentorProfile>,
    pub active_mentees: u32,
}

/// The coordinator's pairing page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairingOverview {
    /// Starters without a work-place mentor, newest start first.
    pub unpaired: Vec<UnpairedStarter>,
    /// Pairings where someone answered "not a good fit".
    pub poor_fits: Vec<PairingView>,
    pub mentors: Vec<MentorLoad>,
    pub preference: TeamPreference,
    /// Days between a starter's check-ins.
    pub checkin_rhythm_days: u16,
}

/// Ranked mentors for one starter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestionPage {
    pub starter: PersonRef,
    pub team_name: Option<String>,
    pub sector: Option<Sector>,
    pub current: Vec<PairingView>,
    pub suggestions: Vec<Suggestion>,
    pub preference: TeamPreference,
}

#[cfg(test)]
mod tests;
