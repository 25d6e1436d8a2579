//! The demo dataset: fictional institutions, teams and (in later steps)
//! people, so Houvast can be tried without real data. Loading is idempotent:
//! what already exists (by BRIN code, by team name) is left alone.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::domain::{
    AuditAction, AuditEventForCreate, BrinCode, InstitutionForCreate, Name, Sector, TeamForCreate,
};
use crate::store::{Db, StoreError, audit, institutions, teams};

struct DemoInstitution {
    name: &'static str,
    brin: &'static str,
    teams: &'static [(&'static str, Sector)],
}

const INSTITUTIONS: &[DemoInstitution] = &[
    DemoInstitution {
        name: "ROC Lindenhaghe",
        brin: "25LH",
        teams: &[
            ("Verpleegkunde & Verzorging", Sector::CareWelfare),
            ("Pedagogisch Werk", Sector::CareWelfare),
            ("Elektrotechniek & Installatietechniek", Sector::Technology),
            ("Bouw & Infra", Sector::Technology),
            ("Commercie & Ondernemen", Sector::Economy),
            ("Software Development", Sector::IctCreative),
            ("Mediavormgeving", Sector::IctCreative),
        ],
    },
    DemoInstitution {
        name: "Zuiderzee mbo",
        brin: "31ZZ",
        teams: &[
            ("Zorg & Welzijn", Sector::CareWelfare),
            ("Mechatronica", Sector::Technology),
            ("Logistiek & Handel", Sector::Economy),
            ("Game Development", Sector::IctCreative),
            ("Horeca & Bakkerij", Sector::HospitalityTourism),
        ],
    },
];

/// What a load did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DemoReport {
    pub institutions_created: usize,
    pub teams_created: usize,
}

impl DemoReport {
    pub fn created_anything(&self) -> bool {
        self.institutions_created + self.teams_created > 0
    }
}

/// Load the demo dataset; safe to run again.
pub async fn load(db: &Db, now: DateTime<Utc>) -> Result<DemoReport, StoreError> {
    let mut report = DemoReport::default();
    for demo in INSTITUTIONS {
        let brin = BrinCode::parse(demo.brin).expect("demo BRIN code is valid");
        let mut tx = db.begin_write().await?;
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
        let existing: Vec<String> = if created {
            Vec::new()
        } else {
            teams::list(db, institution)
                .await?
                .into_iter()
                .map(|t| t.name.to_string())
                .collect()
        };
        let mut teams_created = 0;
        for (name, sector) in demo
            .teams
            .iter()
            .filter(|(name, _)| !existing.iter().any(|e| e == name))
        {
            let new = TeamForCreate {
                name: Name::parse(name).expect("demo team name"),
                sector: *sector,
            };
            teams::create(&mut tx, institution, &new, now).await?;
            teams_created += 1;
        }
        if created || teams_created > 0 {
            audit::append(
                &mut tx,
                &AuditEventForCreate {
                    occurred_at: now,
                    actor: None,
                    institution: Some(institution),
                    subject: None,
                    action: AuditAction::DemoDataLoaded,
                    details: json!({ "institution_created": created, "teams_created": teams_created }),
                },
            )
            .await?;
        }
        tx.commit().await?;
        report.institutions_created += usize::from(created);
        report.teams_created += teams_created;
    }
    Ok(report)
}

/// True when the database holds no institution yet (a first start).
pub async fn is_empty(db: &Db) -> Result<bool, StoreError> {
    Ok(institutions::list(db).await?.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::AuditFilter;
    use crate::testing::at;

    crate::db_test!(async fn demo_load_is_idempotent(db) {
        assert!(is_empty(db).await.unwrap());
        let first = load(db, at(2026, 8, 1)).await.unwrap();
        assert_eq!(first, DemoReport { institutions_created: 2, teams_created: 12 });
        assert!(!is_empty(db).await.unwrap());

        let second = load(db, at(2026, 8, 2)).await.unwrap();
        assert!(!second.created_anything(), "{second:?}");

        let overview = institutions::overview(db).await.unwrap();
        let counts: Vec<(String, i64)> = overview.into_iter().map(|i| (i.name, i.team_count)).collect();
        assert_eq!(counts, [("ROC Lindenhaghe".to_string(), 7), ("Zuiderzee mbo".to_string(), 5)]);
    });

    crate::db_test!(async fn demo_load_completes_a_partial_dataset_and_audits_it(db) {
        let mut tx = db.begin_write().await.unwrap();
        let new = InstitutionForCreate { name: Name::parse("ROC Lindenhaghe").unwrap(), brin_code: BrinCode::parse("25LH").unwrap() };
        let id = institutions::create(&mut tx, &new, at(2026, 7, 1)).await.unwrap();
        teams::create(&mut tx, id, &TeamForCreate { name: Name::parse("Bouw & Infra").unwrap(), sector: Sector::Technology }, at(2026, 7, 1)).await.unwrap();
        tx.commit().await.unwrap();

        let report = load(db, at(2026, 8, 1)).await.unwrap();
        assert_eq!(report, DemoReport { institutions_created: 1, teams_created: 11 });
        let events = audit::list(db, &AuditFilter::institution(id)).await.unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].action, "demo.loaded");
        assert_eq!(events[0].details["teams_created"], 6);
    });
}
