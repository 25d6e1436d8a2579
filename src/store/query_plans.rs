//! SQLite's plans of hot statements whose cost would otherwise grow with the
//! institution: each reads the rows it needs through an index, without
//! sorting a whole institution. (PostgreSQL chooses by the table's size, so
//! its plans on the small test tables prove nothing; the national load
//! benchmark covers it.)

use super::{Db, audit, dialect, mentoring};
use crate::domain::InstitutionId;

/// The plan of `sql` with every parameter NULL, one line per step.
async fn plan(db: &Db, sql: &str) -> String {
    let Db::Sqlite(pool) = db else {
        unreachable!("a SQLite database")
    };
    let rows: Vec<(i64, i64, i64, String)> = sqlx::query_as(&format!("EXPLAIN QUERY PLAN {sql}"))
        .fetch_all(pool)
        .await
        .unwrap();
    rows.into_iter().map(|(.., step)| step).collect::<Vec<_>>().join("\n")
}

#[tokio::test]
async fn hot_statements_read_through_their_indexes() {
    let test_db = crate::testing::TestDb::sqlite().await;
    let db = &test_db.db;

    // A mentor's home: the mentor's own conversations, not the institution's.
    let counts = plan(db, mentoring::OPEN_ACTION_COUNTS_SQL).await;
    assert!(
        counts.contains("USING COVERING INDEX conversations_mentor_idx"),
        "{counts}"
    );

    // The latest events of an institution: newest first from the index.
    let events = plan(db, audit::LIST_SQL).await;
    assert!(events.contains("audit_events_institution_id_idx"), "{events}");
    assert!(!events.contains("TEMP B-TREE"), "{events}");

    // One institution's alerts (watch list, retention), not every alert.
    let one = format!(
        "SELECT id FROM alerts WHERE {} ORDER BY opened_at, id",
        dialect::institution_or_all("institution_id", Some(InstitutionId(1)))
    );
    let alerts = plan(db, &one).await;
    assert!(alerts.contains("alerts_institution_idx"), "{alerts}");

    test_db.finish().await;
}
