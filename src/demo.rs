//! The demo dataset: fictional institutions, teams and people with working
//! logins, so Houvast can be tried without real data. Loading is
//! idempotent: what already exists (by BRIN code, team name, e-mail
//! address) is left alone. All demo accounts share one printed password —
//! never load the demo into a deployment with real people.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::domain::{
    AuditAction, BrinCode, Email, InstitutionForCreate, InstitutionId, Name, Password, PersonForCreate, Role,
    RoleAssignment, Sector, TeamForCreate, TeamId,
};
use crate::service::passwords;
use crate::store::{Db, StoreError, Tx, accounts, audit, institutions, memberships, people, teams};

mod checkins;
mod mentoring;
pub mod model;
pub mod national;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "Houvast-demo-2026";

struct DemoInstitution {
    name: &'static str,
    brin: &'static str,
    domain: &'static str,
    teams: &'static [(&'static str, Sector)],
    /// (name, e-mail local part, role, index into `teams`)
    people: &'static [(&'static str, &'static str, Role, Option<usize>)],
}

const INSTITUTIONS: &[DemoInstitution] = &[
    DemoInstitution {
        name: "ROC Lindenhaghe",
        brin: "25LH",
        domain: "lindenhaghe.example",
        teams: &[
            ("Verpleegkunde & Verzorging", Sector::CareWelfare),
            ("Pedagogisch Werk", Sector::CareWelfare),
            ("Elektrotechniek & Installatietechniek", Sector::Technology),
            ("Bouw & Infra", Sector::Technology),
            ("Commercie & Ondernemen", Sector::Economy),
            ("Software Development", Sector::IctCreative),
            ("Mediavormgeving", Sector::IctCreative),
        ],
        people: &[
            ("Marieke van den Berg", "m.vandenberg", Role::Coordinator, None),
            ("Henk Jansen", "h.jansen", Role::TeamLeader, Some(0)),
            ("Fatima El Idrissi", "f.elidrissi", Role::TeamLeader, Some(5)),
            ("Joost de Graaf", "j.degraaf", Role::Mentor, Some(0)),
            ("Ingrid Smit", "i.smit", Role::Mentor, Some(1)),
            ("Rachid Amrani", "r.amrani", Role::Mentor, Some(5)),
            ("Linda Kok", "l.kok", Role::Mentor, Some(2)),
            ("Sanne de Vries", "s.devries", Role::Starter, Some(0)),
            ("Mehmet Yılmaz", "m.yilmaz", Role::Starter, Some(5)),
            ("Lotte Visser", "l.visser", Role::Starter, Some(1)),
            ("Daan Mulder", "d.mulder", Role::Starter, Some(2)),
            ("Priya Ramdin", "p.ramdin", Role::Starter, Some(4)),
            ("Thijs Bos", "t.bos", Role::Starter, Some(3)),
        ],
    },
    DemoInstitution {
        name: "Zuiderzee mbo",
        brin: "31ZZ",
        domain: "zuiderzee.example",
        teams: &[
            ("Zorg & Welzijn", Sector::CareWelfare),
            ("Mechatronica", Sector::Technology),
            ("Logistiek & Handel", Sector::Economy),
            ("Game Development", Sector::IctCreative),
            ("Horeca & Bakkerij", Sector::HospitalityTourism),
        ],
        people: &[
            ("Kees Hoekstra", "k.hoekstra", Role::Coordinator, None),
            ("Annemiek Dijkstra", "a.dijkstra", Role::TeamLeader, Some(0)),
            ("Youssef Benali", "y.benali", Role::TeamLeader, Some(1)),
            ("Wilma Postma", "w.postma", Role::Mentor, Some(0)),
            ("Bart de Jong", "b.dejong", Role::Mentor, Some(1)),
            ("Esther Koster", "e.koster", Role::Mentor, Some(2)),
            ("Noor Bakker", "n.bakker", Role::Starter, Some(0)),
            ("Jesse van Dijk", "j.vandijk", Role::Starter, Some(1)),
            ("Sevda Aydın", "s.aydin", Role::Starter, Some(2)),
            ("Ruben Meijer", "r.meijer", Role::Starter, Some(3)),
            ("Kim Huisman", "k.huisman", Role::Starter, Some(4)),
        ],
    },
];

/// The deployment's demo administrator.
const ADMIN: (&str, &str) = ("Pieter Vermeulen", "beheer@houvast.example");

/// One login to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    pub role: Role,
    pub institution: Option<String>,
    pub name: String,
    pub email: String,
}

/// What a load did, and every demo login there is.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DemoReport {
    pub institutions_created: usize,
    pub teams_created: usize,
    pub people_created: usize,
    /// Starters enrolled with a trajectory (the demo logins among them).
    pub starters_created: usize,
    pub logins: Vec<DemoLogin>,
}

impl DemoReport {
    pub fn created_anything(&self) -> bool {
        self.institutions_created + self.teams_created + self.people_created + self.starters_created > 0
    }
}

/// Load the demo dataset; safe to run again.
pub async fn load(db: &Db, now: DateTime<Utc>) -> Result<DemoReport, StoreError> {
    let hash = passwords::hash(&Password::parse(DEMO_PASSWORD).expect("demo password is valid")).await;
    let mut report = DemoReport::default();
    for demo in INSTITUTIONS {
        let mut tx = db.begin_write().await?;
        let brin = BrinCode::parse(demo.brin).expect("demo BRIN code is valid");
        let (institution, created) = match institutions::find_by_brin(db, &brin).await? {
            Some(existing) => (existing.id, false),
            None => {
                let new = InstitutionForCreate {
                    name: Name::parse(demo.name).expect("demo name"),
                    brin_code: brin,
                };
                (institutions::create(&mut tx, &new, now).await?, true)
            }
        };
        let existing = if created {
            Vec::new()
        } else {
            teams::list(db, institution).await?
        };
        let mut team_ids: Vec<TeamId> = Vec::new();
        let mut teams_created = 0;
        for (name, sector) in demo.teams {
            match existing.iter().find(|t| t.name.as_str() == *name) {
                Some(team) => team_ids.push(team.id),
                None => {
                    let new = TeamForCreate {
                        name: Name::parse(name).expect("demo team name"),
                        sector: *sector,
                    };
                    team_ids.push(teams::create(&mut tx, institution, &new, now).await?);
                    teams_created += 1;
                }
            }
        }
        let mut people_created = 0;
        for (name, local, role, team) in demo.people {
            let email = format!("{local}@{}", demo.domain);
            let assignment = RoleAssignment {
                role: *role,
                team: team.map(|i| team_ids[i]),
            };
            if add_person(db, &mut tx, now, name, &email, Some(institution), assignment, &hash).await? {
                people_created += 1;
            }
            report.logins.push(DemoLogin {
                role: *role,
                institution: Some(demo.name.to_owned()),
                name: (*name).to_owned(),
                email,
            });
        }
        if created || teams_created + people_created > 0 {
            record(&mut tx, now, Some(institution), created, teams_created, people_created).await?;
        }
        tx.commit().await?;
        report.starters_created += load_starters(db, now, institution, demo).await?;
        let seed = u64::from(demo.brin.as_bytes()[0]) * 1000;
        mentoring::load(db, now, institution, demo, seed).await?;
        checkins::load(db, now, institution, seed).await?;
        report.institutions_created += usize::from(created);
        report.teams_created += teams_created;
        report.people_created += people_created;
    }
    let mut tx = db.begin_write().await?;
    let admin = RoleAssignment {
        role: Role::Admin,
        team: None,
    };
    if add_person(db, &mut tx, now, ADMIN.0, ADMIN.1, None, admin, &hash).await? {
        report.people_created += 1;
    }
    tx.commit().await?;
    report.logins.insert(
        0,
        DemoLogin {
            role: Role::Admin,
            institution: None,
            name: ADMIN.0.into(),
            email: ADMIN.1.into(),
        },
    );
    Ok(report)
}

/// Create a demo person with an active account, unless the address exists.
#[allow(clippy::too_many_arguments)]
async fn add_person(
    db: &Db,
    tx: &mut Tx,
    now: DateTime<Utc>,
    name: &str,
    email: &str,
    institution: Option<InstitutionId>,
    role: RoleAssignment,
    hash: &str,
) -> Result<bool, StoreError> {
    let email = Email::parse(email).expect("demo e-mail is valid");
    if people::find_by_email(db, &email).await?.is_some() {
        return Ok(false);
    }
    let new = PersonForCreate {
        full_name: Name::parse(name).expect("demo person name"),
        email: Some(email),
        institution,
    };
    let person = people::create(tx, &new, now).await?;
    accounts::create(tx, person, now).await?;
    accounts::set_password_hash(tx, person, hash, now).await?;
    memberships::set_roles(tx, person, institution, &[role], now).await?;
    Ok(true)
}

async fn record(
    tx: &mut Tx,
    now: DateTime<Utc>,
    institution: Option<InstitutionId>,
    created: bool,
    teams_created: usize,
    people_created: usize,
) -> Result<(), StoreError> {
    let details =
        json!({ "institution_created": created, "teams_created": teams_created, "people_created": people_created });
    audit::append(
        tx,
        &crate::domain::AuditEventForCreate {
            occurred_at: now,
            actor: None,
            institution,
            subject: None,
            action: AuditAction::DemoDataLoaded,
            details,
        },
    )
    .await?;
    Ok(())
}

/// Dutch first and last names for the generated starters (fictional).
/// Generated starters per start cohort and institution (five cohorts).
const GENERATED_PER_COHORT: u64 = 50;

/// Generated mentors per institution (without a login).
const GENERATED_MENTORS: u64 = 24;

pub(crate) const FIRST_NAMES: &[&str] = &[
    "Anouk", "Bram", "Chantal", "Dennis", "Eline", "Femke", "Gijs", "Hanna", "Imane", "Jeroen", "Kevin", "Laura",
    "Milan", "Nadia", "Olaf", "Petra", "Quinten", "Roos", "Samir", "Tessa", "Umut", "Vera", "Wouter", "Yara", "Zeynep",
    "Bas", "Iris", "Luuk", "Maud", "Stijn",
];
pub(crate) const LAST_NAMES: &[&str] = &[
    "de Boer",
    "van Leeuwen",
    "Hendriks",
    "Peters",
    "van der Meer",
    "Kaya",
    "Brouwer",
    "Willems",
    "de Wit",
    "Verbeek",
    "Schouten",
    "Çelik",
    "Vos",
    "Prins",
    "Kuipers",
    "Huisman",
    "Ouali",
    "Veenstra",
    "Dekker",
    "Maas",
];

/// A fixed pseudo-random number for `seed` (the demo is the same every time).
fn pick(seed: u64, modulo: u64) -> u64 {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
    x ^= x >> 29;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 32;
    x % modulo
}

/// Enrol the institution's starters through the HR import, over five
/// start cohorts and every entry route, then give their trajectories a
/// history: milestones done (some late, some overdue), some who left with
/// a reason, some who completed. Only when the institution has none yet.
async fn load_starters(
    db: &Db,
    now: DateTime<Utc>,
    institution: InstitutionId,
    demo: &DemoInstitution,
) -> Result<usize, StoreError> {
    use crate::domain::trajectory::{EntryRoute, LeaveReason, MilestoneProgress, school_year};
    use crate::service::import::{self, Actor};
    use crate::store::trajectories as store;

    if !store::employments(db, institution).await?.is_empty() {
        return Ok(0);
    }
    let today = crate::domain::time::today(now);
    let this_year = school_year(today);
    let seed = u64::from(demo.brin.as_bytes()[0]) * 1000;
    let mut csv = crate::domain::import::Column::ALL.map(|c| c.header()).join(";");
    let mut number = 0;
    let mut row = |name: &str, email: &str, team: &str, cohort: i32, i: u64| {
        number += 1;
        // Most start in August; some in January (never in the future).
        let january = cohort < this_year && pick(seed + i, 5) == 0;
        let start = format!(
            "{}-{}-{}",
            1 + pick(seed + i, 20),
            if january { 1 } else { 8 },
            if january { cohort + 1 } else { cohort }
        );
        let route = EntryRoute::ALL[(i as usize * 5) % EntryRoute::ALL.len()];
        let fte = ["1", "0,8", "0,6", "0,9", "1", "0,5"][pick(seed + i * 3, 6) as usize];
        let contract = if pick(seed + i * 11, 3) == 0 {
            "vast;".to_owned()
        } else {
            format!("tijdelijk;31-7-{}", cohort + 2)
        };
        let partnership = if pick(seed + i * 13, 3) > 0 {
            "Opleidingsschool Samen Opleiden"
        } else {
            ""
        };
        format!(
            "\r\n{}{:04};{name};{email};starter;{team};{start};{fte};{contract};{};{partnership}",
            &demo.brin[..2],
            number,
            route.code()
        )
    };
    // The starters with a demo login started this school year.
    let mut tx = db.begin_write().await?;
    let mut i = 0;
    for (name, local, role, team) in demo.people {
        if *role != Role::Starter {
            continue;
        }
        i += 1;
        let email = format!("{local}@{}", demo.domain);
        let team = team.map_or("", |t| demo.teams[t].0);
        let line = row(name, &email, team, this_year, i);
        let employee_number = line
            .split(';')
            .next()
            .unwrap_or("")
            .trim_start_matches("\r\n")
            .to_owned();
        if let Some(person) = people::find_by_email(db, &Email::parse(&email).expect("demo e-mail")).await? {
            people::set_employee_number(&mut tx, person.id, Some(&employee_number)).await?;
        }
        csv.push_str(&line);
    }
    tx.commit().await?;
    // Five cohorts of generated starters without a login, enough for
    // meaningful retention curves per team, route and cohort.
    for back in 0..5 {
        for _ in 0..GENERATED_PER_COHORT {
            i += 1;
            let first = FIRST_NAMES[pick(seed + i * 17, FIRST_NAMES.len() as u64) as usize];
            let last = LAST_NAMES[pick(seed + i * 19, LAST_NAMES.len() as u64) as usize];
            let name = format!("{first} {last}");
            let team = demo.teams[pick(seed + i * 23, demo.teams.len() as u64) as usize].0;
            csv.push_str(&row(&name, "", team, this_year - back, i));
        }
    }
    // Mentors without a login, about one for every eight running starters.
    for m in 0..GENERATED_MENTORS {
        i += 1;
        let first = FIRST_NAMES[pick(seed + i * 17, FIRST_NAMES.len() as u64) as usize];
        let last = LAST_NAMES[pick(seed + i * 19, LAST_NAMES.len() as u64) as usize];
        let team = demo.teams[m as usize % demo.teams.len()].0;
        csv.push_str(&format!(
            "\r\n{}M{m:03};{first} {last};;mentor;{team};;;;;;",
            &demo.brin[..2]
        ));
    }
    let report = import::run(db, now, Actor::System, institution, csv.as_bytes(), true)
        .await
        .map_err(|e| StoreError::Corrupt(format!("demo import: {e}")))?;
    if !report.applied {
        return Err(StoreError::Corrupt(format!(
            "demo import refused: {:?}",
            report
                .rows
                .iter()
                .find(|r| matches!(r.action, crate::domain::import::RowAction::Error { .. }))
        )));
    }

    // History: milestones done until a point, leaving and completion.
    let mut tx = db.begin_write().await?;
    let trajectories = store::trajectories(db, institution).await?;
    let milestones = store::milestones(db, institution, None).await?;
    for (n, employment) in store::employments(db, institution).await?.iter().enumerate() {
        let n = n as u64;
        let Some(trajectory) = trajectories.iter().find(|t| t.employment == employment.id) else {
            continue;
        };
        let years = (today - employment.start).num_days() / 365;
        // Older cohorts: about one in four left, most in the first two years.
        let left = years >= 1 && pick(seed + n * 29, 4) == 0;
        let end = left.then(|| {
            let months = 4 + pick(seed + n * 31, (years as u64 * 12).clamp(5, 30)) as u32;
            employment
                .start
                .checked_add_months(chrono::Months::new(months))
                .unwrap_or(employment.start)
                .min(today)
        });
        let keeps_up = pick(seed + n * 37, 10); // 0–2: falls behind, 3–9: keeps up
        for m in milestones.iter().filter(|m| m.trajectory == trajectory.id) {
            let until = end.unwrap_or(today);
            if m.copy.due > until {
                continue;
            }
            let late = pick(seed + n * 41 + m.id.0 as u64, 10);
            if keeps_up < 3 && late < 6 {
                continue; // still open: overdue
            }
            let progress = if late == 9 && m.copy.owner != Role::Starter {
                MilestoneProgress::Skipped {
                    reason: "Niet van toepassing (eerdere ervaring)".into(),
                }
            } else {
                let on = m
                    .copy
                    .due
                    .checked_sub_days(chrono::Days::new(pick(seed + m.id.0 as u64, 10)))
                    .unwrap_or(m.copy.due)
                    .max(employment.start);
                MilestoneProgress::Done {
                    on,
                    by: None,
                    note: None,
                }
            };
            store::set_progress(&mut tx, institution, m.id, &progress, None).await?;
        }
        if let Some(on) = end {
            let reasons = [
                LeaveReason::Workload,
                LeaveReason::Workload,
                LeaveReason::Guidance,
                LeaveReason::ContractNotRenewed,
                LeaveReason::OtherMboInstitution,
                LeaveReason::LeftEducation,
                LeaveReason::Personal,
                LeaveReason::Pay,
                LeaveReason::OtherEducationSector,
            ];
            let reason = reasons[pick(seed + n * 43, reasons.len() as u64) as usize];
            let destinations = destinations(reason);
            let destination = (!destinations.is_empty())
                .then(|| destinations[pick(seed + n * 47, destinations.len() as u64) as usize].to_owned());
            let ending = store::Ending {
                on,
                reason,
                destination,
            };
            store::set_ending(&mut tx, institution, employment.id, Some(&ending)).await?;
        } else if years >= 3 {
            let on = employment
                .start
                .checked_add_months(chrono::Months::new(36))
                .unwrap_or(today)
                .min(today);
            store::set_completed(&mut tx, institution, trajectory.id, Some(on)).await?;
        }
    }
    tx.commit().await?;
    Ok(report.created() + report.updated())
}

/// Where a leaver with this reason may have gone (fictional, for the demo).
fn destinations(reason: crate::domain::trajectory::LeaveReason) -> &'static [&'static str] {
    use crate::domain::trajectory::LeaveReason;
    match reason {
        LeaveReason::OtherMboInstitution => &["ROC in de regio", "Vakinstelling in de buurt"],
        LeaveReason::OtherEducationSector => &["Voortgezet onderwijs", "Hogeschool"],
        LeaveReason::LeftEducation => &["Terug naar het bedrijfsleven", "Zorginstelling"],
        LeaveReason::ContractNotRenewed => &["Onbekend"],
        _ => &[],
    }
}

/// True when the database holds no institution yet (a first start).
pub async fn is_empty(db: &Db) -> Result<bool, StoreError> {
    Ok(institutions::list(db).await?.is_empty())
}

/// The demo logins, if the demo dataset is present (for printing at start).
pub async fn present_logins(db: &Db) -> Result<Option<Vec<DemoLogin>>, StoreError> {
    let admin = Email::parse(ADMIN.1).expect("demo e-mail is valid");
    if people::find_by_email(db, &admin).await?.is_none() {
        return Ok(None);
    }
    let mut logins = vec![DemoLogin {
        role: Role::Admin,
        institution: None,
        name: ADMIN.0.into(),
        email: ADMIN.1.into(),
    }];
    for demo in INSTITUTIONS {
        for (name, local, role, _) in demo.people {
            logins.push(DemoLogin {
                role: *role,
                institution: Some(demo.name.to_owned()),
                name: (*name).to_owned(),
                email: format!("{local}@{}", demo.domain),
            });
        }
    }
    Ok(Some(logins))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::AuditFilter;
    use crate::testing::at;

    crate::db_test!(async fn demo_load_is_idempotent_and_creates_working_logins(db) {
        assert!(is_empty(db).await.unwrap());
        assert_eq!(present_logins(db).await.unwrap(), None);
        let first = load(db, at(2026, 8, 1)).await.unwrap();
        assert_eq!((first.institutions_created, first.teams_created, first.people_created), (2, 12, 25));
        assert_eq!(first.logins.len(), 25);
        assert_eq!(present_logins(db).await.unwrap(), Some(first.logins.clone()));
        for role in [Role::Admin, Role::Coordinator, Role::TeamLeader, Role::Mentor, Role::Starter] {
            assert!(first.logins.iter().any(|l| l.role == role), "{role:?}");
        }

        let second = load(db, at(2026, 8, 2)).await.unwrap();
        assert!(!second.created_anything(), "{second:?}");
        assert_eq!(second.logins, first.logins);
        assert_eq!(
            first.starters_created,
            2 * (5 * GENERATED_PER_COHORT as usize + GENERATED_MENTORS as usize) + 11,
            "five cohorts of fifty and the mentors per institution, and the logins"
        );
        assert_eq!(second.starters_created, 0);

        // Five cohorts, every route, some left, some completed, and
        // milestones done, overdue and still ahead.
        use crate::domain::trajectory::{MilestoneState, milestone_state, school_year};
        let lindenhaghe = institutions::find_by_brin(db, &BrinCode::parse("25LH").unwrap()).await.unwrap().unwrap().id;
        let employments = crate::store::trajectories::employments(db, lindenhaghe).await.unwrap();
        let cohorts: std::collections::BTreeSet<i32> = employments.iter().map(|e| school_year(e.start)).collect();
        assert_eq!(cohorts.into_iter().collect::<Vec<_>>(), [2022, 2023, 2024, 2025, 2026]);
        let routes: std::collections::BTreeSet<_> = employments.iter().map(|e| e.route).collect();
        assert_eq!(routes.len(), crate::domain::trajectory::EntryRoute::ALL.len());
        assert!(employments.iter().any(|e| e.ending.is_some()));
        let trajectories = crate::store::trajectories::trajectories(db, lindenhaghe).await.unwrap();
        assert!(trajectories.iter().any(|t| t.completed_on.is_some()));
        let today = chrono::NaiveDate::from_ymd_opt(2026, 8, 1).unwrap();
        let states: std::collections::BTreeSet<_> = crate::store::trajectories::milestones(db, lindenhaghe, None)
            .await
            .unwrap()
            .iter()
            .map(|m| milestone_state(&m.progress, m.copy.due, today).code())
            .collect();
        for state in MilestoneState::ALL {
            assert!(states.contains(state.code()), "{state:?} in {states:?}");
        }

        // Guidance: profiles, pairings with history, conversations with
        // long gaps, concerns and actions; Sanne left unpaired to try pairing.
        use crate::domain::mentoring::ConversationStatus;
        use crate::store::mentoring as guidance;
        assert_eq!(guidance::profiles(db, lindenhaghe).await.unwrap().len(), 4 + GENERATED_MENTORS as usize);
        let pairings = guidance::pairings(db, lindenhaghe).await.unwrap();
        assert!(pairings.iter().any(|p| p.end.is_some()) && pairings.iter().any(|p| p.is_open()));
        let facts = guidance::conversation_facts(db, lindenhaghe).await.unwrap();
        assert!(facts.len() > 200, "{} conversations", facts.len());
        assert!(facts.iter().any(|c| c.concern.is_some()));
        assert!(facts.iter().any(|c| c.status == ConversationStatus::Planned));
        let sanne = accounts::find_by_email(db, "s.devries@lindenhaghe.example").await.unwrap().unwrap();
        assert!(!pairings.iter().any(|p| p.starter == sanne.person));
        let active: Vec<_> = pairings.iter().filter(|p| p.is_open()).collect();
        let gaps = active
            .iter()
            .filter(|p| {
                let last = facts.iter().filter(|c| c.starter == p.starter && c.status == ConversationStatus::Held).map(|c| c.on).max();
                last.is_none_or(|on| (today - on).num_days() > 56)
            })
            .count();
        assert!(gaps > 0 && gaps < active.len(), "some running pairings have long gaps: {gaps} of {}", active.len());

        // Check-ins for current starters, some requests to talk waiting.
        let mut checkin_count = 0;
        for e in employments.iter().filter(|e| e.ending.is_none()) {
            checkin_count += crate::store::checkins::checkins_with_text(db, lindenhaghe, e.person).await.unwrap().len();
        }
        assert!(checkin_count > 100, "{checkin_count} check-ins");
        let mut waiting = 0;
        for m in memberships::active_in_institution(db, lindenhaghe).await.unwrap() {
            waiting += crate::store::checkins::open_requests_for(db, lindenhaghe, m.person).await.unwrap().len();
        }
        assert!(waiting > 0, "some requests to talk are open");
        assert!(passwords::verify(DEMO_PASSWORD, sanne.password_hash.as_deref()).await.matches);
        let counts: Vec<(String, i64)> =
            institutions::overview(db).await.unwrap().into_iter().map(|i| (i.name, i.team_count)).collect();
        assert_eq!(counts, [("ROC Lindenhaghe".to_string(), 7), ("Zuiderzee mbo".to_string(), 5)]);
    });

    crate::db_test!(async fn demo_load_completes_a_partial_dataset_and_audits_it(db) {
        let mut tx = db.begin_write().await.unwrap();
        let new = InstitutionForCreate { name: Name::parse("ROC Lindenhaghe").unwrap(), brin_code: BrinCode::parse("25LH").unwrap() };
        let id = institutions::create(&mut tx, &new, at(2026, 7, 1)).await.unwrap();
        teams::create(&mut tx, id, &TeamForCreate { name: Name::parse("Bouw & Infra").unwrap(), sector: Sector::Technology }, at(2026, 7, 1)).await.unwrap();
        tx.commit().await.unwrap();

        let report = load(db, at(2026, 8, 1)).await.unwrap();
        assert_eq!((report.institutions_created, report.teams_created), (1, 11));
        // Page through the whole log (the store hands out 500 at a time).
        let mut events = Vec::new();
        let mut before_id = None;
        loop {
            let page = AuditFilter { limit: 500, before_id, ..AuditFilter::institution(id) };
            let batch = audit::list(db, &page).await.unwrap();
            let Some(last) = batch.last() else { break };
            before_id = Some(last.id);
            events.extend(batch.into_iter().filter(|e| e.action == "demo_data_loaded"));
        }
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].details["teams_created"], 6);
        assert_eq!(events[0].details["people_created"], 13);
    });
}
