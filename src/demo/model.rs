//! The leaving model the generated demo data follow, written down before
//! any signal threshold is tuned against the data.
//!
//! Each starter is simulated in fortnightly steps (the default check-in
//! rhythm) from the start of their employment until their induction ends.
//! A latent well-being drifts (down for some, faster without a mentor), the
//! check-in scores are noisy readings of it, and at each step the starter
//! leaves with a probability from a proportional hazard:
//!
//! ```text
//! h = base(year) × HR_unguided^[no mentor] × HR_wellbeing^[well-being < 2.5]
//!                × HR_intention^[intention to stay < 2.5] × HR_fixed_term^[fixed-term]
//! ```
//!
//! The base hazards are set so that, over the whole population, about 20%
//! have left after one year and about 30% after three (the test below
//! simulates 20,000 starters and checks both). The hazard ratios are
//! assumptions, stated with their sources in the README.

use chrono::{Days, NaiveDate};
use rand::Rng;

/// The parameters of the leaving model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Model {
    /// Hazard per fortnight in the first year, without any risk factor.
    pub base_first_year: f64,
    /// Hazard per fortnight from the second year on, without any risk factor.
    pub base_later: f64,
    /// Hazard ratio while the starter has no work-place mentor.
    pub hr_unguided: f64,
    /// Hazard ratio while the latent well-being is below 2.5 (of 5).
    pub hr_low_wellbeing: f64,
    /// Hazard ratio while the intention to stay is below 2.5 (of 5).
    pub hr_low_intention: f64,
    /// Hazard ratio on a fixed-term contract.
    pub hr_fixed_term: f64,
}

/// The model every generated dataset uses.
pub const MODEL: Model = Model {
    base_first_year: 0.0049,
    base_later: 0.0013,
    hr_unguided: 1.6,
    hr_low_wellbeing: 1.8,
    hr_low_intention: 2.5,
    hr_fixed_term: 1.4,
};

/// Days between two steps (the default check-in rhythm).
pub const STEP_DAYS: u64 = 14;

/// What is drawn once per starter.
#[derive(Debug, Clone, PartialEq)]
pub struct Traits {
    pub fixed_term: bool,
    /// Days after the start until a work-place mentor; `None`: never.
    pub paired_after: Option<u32>,
    /// Well-being at the start (1–5).
    pub level: f64,
    /// Loss of well-being per step (0 for most).
    pub decline: f64,
    /// Chance of checking in at the first step.
    pub response: f64,
    /// Loss of that chance per step (0 for most).
    pub response_decay: f64,
}

/// Draw a starter's traits.
pub fn draw(rng: &mut impl Rng) -> Traits {
    let paired_after = match rng.gen_range(0..100) {
        0..80 => Some(rng.gen_range(1..=14)),
        80..92 => Some(rng.gen_range(15..=60)),
        92..97 => Some(rng.gen_range(61..=180)),
        _ => None,
    };
    let declines = rng.gen_bool(0.25);
    Traits {
        fixed_term: rng.gen_bool(0.6),
        paired_after,
        level: (3.75 + 0.55 * normal(rng)).clamp(1.5, 5.0),
        decline: if declines { rng.gen_range(0.02..0.09) } else { 0.0 },
        response: rng.gen_range(0.8..0.98),
        response_decay: if declines || rng.gen_bool(0.15) {
            rng.gen_range(0.005..0.025)
        } else {
            0.0
        },
    }
}

/// The scores of one check-in (1–5 each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckIn {
    pub wellbeing: u8,
    pub workload: u8,
    pub support: u8,
    pub confidence: u8,
    pub intention_to_stay: u8,
}

/// One fortnight of a starter's induction.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub on: NaiveDate,
    pub guided: bool,
    /// The latent well-being (1–5).
    pub wellbeing: f64,
    /// The check-in of this step, if the starter answered.
    pub check_in: Option<CheckIn>,
}

/// What mainly drove a leaving (the largest factor of the hazard), for the
/// reason recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    Unguided,
    Wellbeing,
    Intention,
    Contract,
    Other,
}

/// A simulated induction: its steps and, if the starter left, when and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Life {
    pub steps: Vec<Step>,
    pub left: Option<(NaiveDate, Cause)>,
}

/// A standard normal number (Box–Muller).
pub fn normal(rng: &mut impl Rng) -> f64 {
    let u: f64 = rng.gen_range(f64::EPSILON..1.0);
    let v: f64 = rng.gen_range(0.0..1.0);
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

fn score(x: f64) -> u8 {
    x.round().clamp(1.0, 5.0) as u8
}

/// Simulate a starter from `start` up to (not including) `until`.
pub fn live(model: &Model, traits: &Traits, start: NaiveDate, until: NaiveDate, rng: &mut impl Rng) -> Life {
    let mut steps = Vec::new();
    let mut wellbeing = traits.level;
    let mut k: u64 = 0;
    while let Some(on) = start.checked_add_days(Days::new(STEP_DAYS * k + 3)) {
        if on >= until {
            break;
        }
        let day = (on - start).num_days();
        let guided = traits.paired_after.is_some_and(|d| i64::from(d) <= day);
        // Well-being drifts: down for decliners, and down without a mentor;
        // a little noise that partly persists.
        wellbeing += -traits.decline - if guided { 0.0 } else { 0.02 } + 0.12 * normal(rng);
        wellbeing += 0.05 * (traits.level - wellbeing).max(0.0) * f64::from(u8::from(traits.decline == 0.0));
        wellbeing = wellbeing.clamp(1.0, 5.0);
        let intention = wellbeing - 0.2 + 0.6 * normal(rng);
        let answered = rng.gen_bool((traits.response - traits.response_decay * k as f64).clamp(0.1, 1.0));
        let check_in = answered.then(|| CheckIn {
            wellbeing: score(wellbeing + 0.4 * normal(rng)),
            workload: score(6.0 - wellbeing + 0.6 * normal(rng)),
            support: score(wellbeing + if guided { 0.4 } else { -0.8 } + 0.5 * normal(rng)),
            confidence: score(2.9 + 0.02 * k as f64 + 0.5 * (wellbeing - 3.5) + 0.5 * normal(rng)),
            intention_to_stay: score(intention),
        });
        steps.push(Step {
            on,
            guided,
            wellbeing,
            check_in,
        });
        // The hazard of leaving in this fortnight.
        let factors = [
            (Cause::Unguided, !guided, model.hr_unguided),
            (Cause::Wellbeing, wellbeing < 2.5, model.hr_low_wellbeing),
            (Cause::Intention, intention < 2.5, model.hr_low_intention),
            (Cause::Contract, traits.fixed_term, model.hr_fixed_term),
        ];
        let base = if day < 365 {
            model.base_first_year
        } else {
            model.base_later
        };
        let hazard = factors
            .iter()
            .filter(|(_, on, _)| *on)
            .fold(base, |h, (_, _, ratio)| h * ratio);
        if rng.gen_bool((1.0 - (-hazard).exp()).clamp(0.0, 1.0)) {
            // The cause, weighted by each active factor's excess risk.
            let mut pick = rng.gen_range(0.0..1.0)
                * factors
                    .iter()
                    .filter(|(_, on, _)| *on)
                    .fold(1.0, |sum, (_, _, r)| sum + r - 1.0);
            let mut cause = Cause::Other;
            for (c, active, ratio) in factors {
                if active {
                    if pick < ratio - 1.0 {
                        cause = c;
                        break;
                    }
                    pick -= ratio - 1.0;
                }
            }
            let left_on = on
                .checked_add_days(Days::new(rng.gen_range(0..STEP_DAYS)))
                .unwrap_or(on);
            return Life {
                steps,
                left: Some((left_on.min(until), cause)),
            };
        }
        k += 1;
    }
    Life { steps, left: None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn about_a_fifth_leave_in_the_first_year_and_three_in_ten_within_three_and_guidance_helps() {
        let mut rng = StdRng::seed_from_u64(7);
        let start = date(2020, 8, 15);
        let until = date(2023, 8, 15);
        let (mut n, mut year1, mut year3) = (0.0, 0.0, 0.0);
        let (mut guided, mut guided_left, mut unguided, mut unguided_left) = (0.0, 0.0, 0.0, 0.0);
        for _ in 0..20_000 {
            let traits = draw(&mut rng);
            let life = live(&MODEL, &traits, start, until, &mut rng);
            n += 1.0;
            let left = life.left.map(|(on, _)| (on - start).num_days());
            year1 += f64::from(u8::from(left.is_some_and(|d| d < 365)));
            year3 += f64::from(u8::from(left.is_some()));
            if traits.paired_after.is_some_and(|d| d <= 14) {
                guided += 1.0;
                guided_left += f64::from(u8::from(left.is_some()));
            } else if traits.paired_after.is_none_or(|d| d > 60) {
                unguided += 1.0;
                unguided_left += f64::from(u8::from(left.is_some()));
            }
        }
        let (year1, year3) = (year1 / n, year3 / n);
        assert!((0.17..=0.23).contains(&year1), "one-year leaving {year1:.3}");
        assert!((0.27..=0.33).contains(&year3), "three-year leaving {year3:.3}");
        let (g, u) = (guided_left / guided, unguided_left / unguided);
        assert!(u > g * 1.2, "guided leave {g:.3}, unguided {u:.3}");
    }

    #[test]
    fn the_same_seed_gives_the_same_life() {
        let run = |seed| {
            let mut rng = StdRng::seed_from_u64(seed);
            let traits = draw(&mut rng);
            live(&MODEL, &traits, date(2024, 8, 1), date(2026, 12, 1), &mut rng)
        };
        assert_eq!(run(3), run(3));
        assert_ne!(run(3), run(4));
    }
}
