//! Test harness: a fresh, migrated database per test, on SQLite and on
//! PostgreSQL, and small fixtures.
//!
//! `db_test!` turns one test body into two tests, `<name>::sqlite` and
//! `<name>::postgres`. The PostgreSQL one uses `HOUVAST_TEST_POSTGRES_URL`
//! (each test gets its own schema, dropped afterwards). Without that variable
//! it is skipped with a note, unless `HOUVAST_TEST_REQUIRE_POSTGRES=1` (set by
//! the project's test command), in which case it fails.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};

use crate::domain::{
    BrinCode, Email, InstitutionForCreate, InstitutionId, Name, PersonForCreate, PersonId, Role, RoleAssignment,
    Sector, TeamForCreate, TeamId,
};
use crate::store::{Db, DbConfig, accounts, institutions, memberships, people, teams};

pub const POSTGRES_URL_VAR: &str = "HOUVAST_TEST_POSTGRES_URL";
pub const REQUIRE_POSTGRES_VAR: &str = "HOUVAST_TEST_REQUIRE_POSTGRES";

/// A migrated database that exists for one test.
pub struct TestDb {
    pub db: Db,
    /// Keeps the SQLite file's folder alive until the test ends.
    _dir: Option<tempfile::TempDir>,
    /// PostgreSQL: the admin URL and the schema to drop afterwards.
    pg_schema: Option<(String, String)>,
}

impl TestDb {
    /// A fresh SQLite database file with the production settings (WAL etc.).
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("houvast.db").display());
        let db = Db::connect(&DbConfig::new(url)).await.expect("open SQLite");
        db.migrate().await.expect("migrate SQLite");
        TestDb {
            db,
            _dir: Some(dir),
            pg_schema: None,
        }
    }

    /// A fresh schema in the test PostgreSQL server, or `None` when no server
    /// is configured and none is required.
    pub async fn postgres() -> Option<TestDb> {
        let Ok(url) = std::env::var(POSTGRES_URL_VAR) else {
            if std::env::var(REQUIRE_POSTGRES_VAR).is_ok_and(|v| v == "1") {
                panic!("{REQUIRE_POSTGRES_VAR}=1 but {POSTGRES_URL_VAR} is not set");
            }
            eprintln!("skipped: PostgreSQL test needs {POSTGRES_URL_VAR}");
            return None;
        };
        let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(&url).await.expect("connect to test PostgreSQL");
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(&mut admin)
            .await
            .expect("create schema");
        admin.close().await.ok();

        let options = PgConnectOptions::from_str(&url)
            .expect("PostgreSQL URL")
            .options([("search_path", schema.as_str())]);
        let mut config = DbConfig::new(url.clone());
        config.max_connections = 4;
        let db = Db::connect_postgres(options, &config).await.expect("open PostgreSQL");
        db.migrate().await.expect("migrate PostgreSQL");
        Some(TestDb {
            db,
            _dir: None,
            pg_schema: Some((url, schema)),
        })
    }

    /// Close the pool and drop what the test created.
    pub async fn finish(self) {
        self.db.close().await;
        if let Some((url, schema)) = self.pg_schema {
            let mut admin = PgConnection::connect(&url).await.expect("connect to test PostgreSQL");
            // A connection of the test left inside a transaction would hold
            // its locks for good: fail the test instead of waiting forever.
            sqlx::query("SET lock_timeout = '30s'")
                .execute(&mut admin)
                .await
                .expect("set lock timeout");
            sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                .execute(&mut admin)
                .await
                .expect("drop schema (a connection left inside a transaction holds its tables?)");
            admin.close().await.ok();
        }
    }
}

/// Write a test that runs once on SQLite and once on PostgreSQL:
///
/// ```ignore
/// houvast::db_test!(async fn lists_teams(db) { /* db: &Db */ });
/// ```
#[macro_export]
macro_rules! db_test {
    (async fn $name:ident($db:ident) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let test_db = $crate::testing::TestDb::sqlite().await;
                {
                    let $db: &$crate::store::Db = &test_db.db;
                    $body
                }
                test_db.finish().await;
            }

            #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(test_db) = $crate::testing::TestDb::postgres().await else {
                    return;
                };
                {
                    let $db: &$crate::store::Db = &test_db.db;
                    $body
                }
                test_db.finish().await;
            }
        }
    };
}

/// Run one statement without parameters, as a test sets up or tampers
/// with rows the services never write; the rows it changed.
pub async fn execute(db: &Db, sql: &str) -> Result<u64, crate::store::StoreError> {
    Ok(crate::store::on_db!(db, conn => sqlx::query(sql).execute(conn).await?.rows_affected()))
}

/// Midnight UTC of a calendar day.
pub fn at(year: i32, month: u32, day: u32) -> DateTime<Utc> {
    Utc.from_utc_datetime(
        &NaiveDate::from_ymd_opt(year, month, day)
            .expect("valid date")
            .and_hms_opt(0, 0, 0)
            .unwrap(),
    )
}

pub fn institution(name: &str, brin: &str) -> InstitutionForCreate {
    InstitutionForCreate {
        name: Name::parse(name).unwrap(),
        brin_code: BrinCode::parse(brin).unwrap(),
    }
}

pub fn team(name: &str, sector: Sector) -> TeamForCreate {
    TeamForCreate {
        name: Name::parse(name).unwrap(),
        sector,
    }
}

/// Two institutions: A (Deltacollege, two teams) and B (Hanzeland College, one team).
pub struct TwoInstitutions {
    pub a: InstitutionId,
    pub b: InstitutionId,
    pub team_of_a: TeamId,
    pub team_of_b: TeamId,
}

pub async fn two_institutions(db: &Db) -> TwoInstitutions {
    let mut tx = db.begin_write().await.unwrap();
    let when = at(2026, 8, 1);
    let a = institutions::create(&mut tx, &institution("Deltacollege", "25LX"), when)
        .await
        .unwrap();
    let b = institutions::create(&mut tx, &institution("Hanzeland College", "31HZ"), when)
        .await
        .unwrap();
    let team_of_a = teams::create(&mut tx, a, &team("Verpleegkunde", Sector::CareWelfare), when)
        .await
        .unwrap();
    teams::create(&mut tx, a, &team("Software Development", Sector::IctCreative), when)
        .await
        .unwrap();
    let team_of_b = teams::create(&mut tx, b, &team("Elektrotechniek", Sector::Technology), when)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    TwoInstitutions {
        a,
        b,
        team_of_a,
        team_of_b,
    }
}

pub fn person(name: &str, email: Option<&str>, institution: Option<InstitutionId>) -> PersonForCreate {
    PersonForCreate {
        full_name: Name::parse(name).unwrap(),
        email: email.map(|e| Email::parse(e).unwrap()),
        institution,
    }
}

/// `two_institutions` plus people with accounts (no passwords) and roles:
/// in A a coordinator, a mentor, a starter and a team leader (all in
/// `team_a`); in B a coordinator.
pub struct PeopleFixture {
    pub a: InstitutionId,
    pub b: InstitutionId,
    pub team_a: TeamId,
    pub team_b: TeamId,
    pub anna: PersonId,
    pub bram: PersonId,
    pub cigdem: PersonId,
    pub daan: PersonId,
    pub erik: PersonId,
}

pub async fn people_fixture(db: &Db) -> PeopleFixture {
    let f = two_institutions(db).await;
    let when = at(2026, 8, 1);
    let mut tx = db.begin_write().await.unwrap();
    let mut add = async |name: &str, email: &str, institution: InstitutionId, role: Role, team: Option<TeamId>| {
        let id = people::create(&mut tx, &person(name, Some(email), Some(institution)), when)
            .await
            .unwrap();
        accounts::create(&mut tx, id, when).await.unwrap();
        memberships::set_roles(&mut tx, id, Some(institution), &[RoleAssignment { role, team }], when)
            .await
            .unwrap();
        id
    };
    let anna = add("Anna Coördinator", "anna@lindenhaghe.nl", f.a, Role::Coordinator, None).await;
    let bram = add(
        "Bram Mentor",
        "bram@lindenhaghe.nl",
        f.a,
        Role::Mentor,
        Some(f.team_of_a),
    )
    .await;
    let cigdem = add(
        "Çiğdem Öztürk",
        "cigdem@lindenhaghe.nl",
        f.a,
        Role::Starter,
        Some(f.team_of_a),
    )
    .await;
    let daan = add(
        "Daan Teamleider",
        "daan@lindenhaghe.nl",
        f.a,
        Role::TeamLeader,
        Some(f.team_of_a),
    )
    .await;
    let erik = add("Erik Anders", "erik@hanzeland.nl", f.b, Role::Coordinator, None).await;
    tx.commit().await.unwrap();
    PeopleFixture {
        a: f.a,
        b: f.b,
        team_a: f.team_of_a,
        team_b: f.team_of_b,
        anna,
        bram,
        cigdem,
        daan,
        erik,
    }
}

/// The password every test account gets from `activate_for_tests`.
pub const TEST_PASSWORD: &str = "kaars tafel regen fiets 7";

/// The first coordinator of ROC Lindenhaghe in the demo dataset, loaded on `now`.
pub async fn demo_coordinator(db: &Db, now: DateTime<Utc>) -> crate::service::Ctx {
    let report = crate::demo::load(db, now).await.unwrap();
    let login = report
        .logins
        .iter()
        .find(|l| l.role == Role::Coordinator && l.institution.as_deref() == Some("ROC Lindenhaghe"))
        .unwrap();
    let account = accounts::find_by_email(db, &login.email).await.unwrap().unwrap();
    ctx_of(db, account.person).await
}

/// Give the person a password (if they have none) and return their context.
pub async fn ctx_of(db: &Db, person: PersonId) -> crate::service::Ctx {
    let account = accounts::get(db, person).await.unwrap();
    if account.password_hash.is_none() {
        let hash = crate::service::passwords::hash(&crate::domain::Password::parse(TEST_PASSWORD).unwrap()).await;
        let mut tx = db.begin_write().await.unwrap();
        accounts::set_password_hash(&mut tx, person, &hash, at(2026, 8, 1))
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    crate::service::Ctx::load(db, person)
        .await
        .unwrap()
        .expect("an active account")
}

/// A deployment admin with a password, and their context.
pub async fn admin_ctx(db: &Db) -> crate::service::Ctx {
    let mut tx = db.begin_write().await.unwrap();
    let id = people::create(
        &mut tx,
        &person("Ada Beheer", Some("ada@houvast.example"), None),
        at(2026, 8, 1),
    )
    .await
    .unwrap();
    accounts::create(&mut tx, id, at(2026, 8, 1)).await.unwrap();
    memberships::set_roles(
        &mut tx,
        id,
        None,
        &[RoleAssignment {
            role: Role::Admin,
            team: None,
        }],
        at(2026, 8, 1),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    ctx_of(db, id).await
}
