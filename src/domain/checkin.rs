//! The starter's check-in: five scores from 1 to 5, an optional short
//! text, and "I want to talk to someone". Pure: validation, the rhythm
//! (when the next one is due) and the chart's geometry.

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::code::coded;
use super::{FieldErrors, FieldProblem, PersonRef};

/// Longest free text of a check-in.
pub const COMMENT_MAX: usize = 500;
/// The default rhythm: every two weeks.
pub const DEFAULT_RHYTHM_DAYS: u16 = 14;
pub const RHYTHM_MIN_DAYS: u16 = 7;
pub const RHYTHM_MAX_DAYS: u16 = 56;

coded!(
    /// What a check-in asks, each scored 1 (low) to 5 (high).
    Measure {
        Wellbeing = "wellbeing",
        /// 5 = very high workload (the one where high is bad).
        Workload = "workload",
        Support = "support",
        Confidence = "confidence",
        IntentionToStay = "intention_to_stay",
    }
);

coded!(
    /// Whom the starter wants to talk to.
    TalkTo {
        Mentor = "mentor",
        Coordinator = "coordinator",
    }
);

/// A score from 1 to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Score(u8);

impl Score {
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Score {
    type Error = FieldProblem;

    fn try_from(value: u8) -> Result<Self, Self::Error> {
        if (1..=5).contains(&value) {
            Ok(Score(value))
        } else {
            Err(FieldProblem::OutOfRange { min: 1, max: 5 })
        }
    }
}

/// The five scores of one check-in, in `Measure::ALL` order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scores {
    pub wellbeing: Score,
    pub workload: Score,
    pub support: Score,
    pub confidence: Score,
    pub intention_to_stay: Score,
}

impl Scores {
    pub fn get(&self, measure: Measure) -> Score {
        match measure {
            Measure::Wellbeing => self.wellbeing,
            Measure::Workload => self.workload,
            Measure::Support => self.support,
            Measure::Confidence => self.confidence,
            Measure::IntentionToStay => self.intention_to_stay,
        }
    }
}

/// A check-in as the form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckInForm {
    /// One raw value per measure, in `Measure::ALL` order.
    pub scores: [String; 5],
    pub comment: String,
    /// "I want to talk": empty for no, else `mentor` or `coordinator`.
    pub talk_to: String,
}

/// A validated check-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckInInput {
    pub scores: Scores,
    pub comment: Option<String>,
    pub talk_to: Option<TalkTo>,
}

impl CheckInForm {
    pub fn validate(&self) -> Result<CheckInInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut parsed = [None; 5];
        for (i, measure) in Measure::ALL.iter().enumerate() {
            let raw = self.scores[i].trim();
            if raw.is_empty() {
                errors.add(measure.code(), FieldProblem::Required);
                continue;
            }
            match raw
                .parse::<u8>()
                .map_err(|_| FieldProblem::OutOfRange { min: 1, max: 5 })
                .and_then(Score::try_from)
            {
                Ok(score) => parsed[i] = Some(score),
                Err(problem) => errors.add(measure.code(), problem),
            }
        }
        let comment = super::text::long_text(&mut errors, "comment", &self.comment, COMMENT_MAX);
        let talk_to = match self.talk_to.trim() {
            "" | "no" => None,
            code => {
                let to = TalkTo::from_code(code);
                if to.is_none() {
                    errors.add("talk_to", FieldProblem::UnknownChoice);
                }
                to
            }
        };
        match parsed {
            [
                Some(wellbeing),
                Some(workload),
                Some(support),
                Some(confidence),
                Some(intention_to_stay),
            ] if errors.is_empty() => Ok(CheckInInput {
                scores: Scores {
                    wellbeing,
                    workload,
                    support,
                    confidence,
                    intention_to_stay,
                },
                comment: (!comment.is_empty()).then_some(comment),
                talk_to,
            }),
            _ => Err(errors),
        }
    }
}

/// When the next check-in is due: `rhythm` days after the last one, or
/// from the start of employment when there is none yet (the first is due
/// on the first day).
pub fn next_due(last: Option<NaiveDate>, start: NaiveDate, rhythm_days: u16) -> NaiveDate {
    match last {
        Some(last) => last.checked_add_days(Days::new(u64::from(rhythm_days))).unwrap_or(last),
        None => start,
    }
}

/// A stored check-in as its starter and mentor see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckInView {
    pub id: i64,
    pub on: NaiveDate,
    pub scores: Scores,
    pub comment: Option<String>,
}

/// A request to talk, as the starter and the recipient see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TalkRequestView {
    pub id: i64,
    pub starter: PersonRef,
    pub recipient: PersonRef,
    pub to: TalkTo,
    pub asked_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// The starter's check-in page: what is due and the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckInStatus {
    pub due_on: NaiveDate,
    pub rhythm_days: u16,
    pub history: Vec<CheckInView>,
    /// Whether a mentor exists to talk to (else only the coordinator).
    pub has_mentor: bool,
    pub requests: Vec<TalkRequestView>,
}

/// A point of the history chart, in SVG user units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartPoint {
    pub x: f32,
    pub y: f32,
}

/// Place scores (oldest first) on a `width` × `height` chart with `pad`
/// around it: x spreads the check-ins evenly, y maps 1 (bottom) to 5 (top).
pub fn chart_points(scores: &[u8], width: f32, height: f32, pad: f32) -> Vec<ChartPoint> {
    let n = scores.len();
    scores
        .iter()
        .enumerate()
        .map(|(i, score)| {
            let x = if n <= 1 {
                width / 2.0
            } else {
                pad + (width - 2.0 * pad) * i as f32 / (n - 1) as f32
            };
            let y = pad + (height - 2.0 * pad) * (5.0 - f32::from((*score).clamp(1, 5))) / 4.0;
            ChartPoint { x, y }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(scores: [&str; 5]) -> CheckInForm {
        CheckInForm {
            scores: scores.map(str::to_owned),
            comment: String::new(),
            talk_to: String::new(),
        }
    }

    #[test]
    fn scores_are_one_to_five_and_all_required() {
        let ok = form(["4", "3", "5", "2", "1"]).validate().unwrap();
        assert_eq!(ok.scores.get(Measure::Wellbeing).get(), 4);
        assert_eq!(ok.scores.get(Measure::IntentionToStay).get(), 1);
        assert_eq!((ok.comment, ok.talk_to), (None, None));
        let bad = form(["0", "6", "", "x", "3"]).validate().unwrap_err().into_vec();
        let fields: Vec<&str> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["wellbeing", "workload", "support", "confidence"]);
        assert_eq!(bad[2].problem, FieldProblem::Required);
        assert_eq!(bad[0].problem, FieldProblem::OutOfRange { min: 1, max: 5 });
        assert!(Score::try_from(5).is_ok() && Score::try_from(6).is_err());
    }

    #[test]
    fn the_text_is_limited_and_talk_to_is_a_choice() {
        let mut f = form(["3", "3", "3", "3", "3"]);
        f.comment = "x".repeat(COMMENT_MAX + 1);
        f.talk_to = "teamleider".into();
        let fields: Vec<String> = f
            .validate()
            .unwrap_err()
            .into_vec()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["comment", "talk_to"]);
        f.comment = format!("  {}  ", "x".repeat(COMMENT_MAX));
        f.talk_to = "coordinator".into();
        let ok = f.validate().unwrap();
        assert_eq!(ok.comment.map(|c| c.len()), Some(COMMENT_MAX));
        assert_eq!(ok.talk_to, Some(TalkTo::Coordinator));
    }

    #[test]
    fn the_next_check_in_is_due_one_rhythm_after_the_last() {
        let start = NaiveDate::from_ymd_opt(2026, 8, 17).unwrap();
        assert_eq!(next_due(None, start, 14), start);
        let last = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        assert_eq!(
            next_due(Some(last), start, 14),
            NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
        );
        assert_eq!(
            next_due(Some(last), start, 7),
            NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
        );
    }

    #[test]
    fn chart_points_map_scores_to_the_box() {
        let points = chart_points(&[1, 5, 3], 100.0, 50.0, 5.0);
        assert_eq!(points[0], ChartPoint { x: 5.0, y: 45.0 });
        assert_eq!(points[1], ChartPoint { x: 50.0, y: 5.0 });
        assert_eq!(points[2], ChartPoint { x: 95.0, y: 25.0 });
        assert_eq!(chart_points(&[4], 100.0, 50.0, 5.0)[0].x, 50.0);
    }
}
