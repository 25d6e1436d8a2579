//! The append-only audit log. There is an `append` and there are reads; the
//! database triggers refuse any UPDATE or DELETE on `audit_events`.

use chrono::{DateTime, Utc};
use sqlx::types::Json;

use super::{Db, StoreError, Tx, on_db, on_tx};
use crate::domain::{AuditEvent, AuditEventForCreate, AuditFilter, InstitutionId, PersonId};

/// Append one event inside the caller's transaction, so the change and its
/// audit record commit together or not at all.
pub async fn append(tx: &mut Tx, event: &AuditEventForCreate) -> Result<i64, StoreError> {
    let sql = "INSERT INTO audit_events \
               (occurred_at, actor_person_id, institution_id, subject_person_id, action, details) \
               VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
    let id: i64 = on_tx!(tx, conn => {
        sqlx::query_scalar(sql)
            .bind(event.occurred_at)
            .bind(event.actor)
            .bind(event.institution)
            .bind(event.subject)
            .bind(event.action.code())
            .bind(Json(&event.details))
            .fetch_one(&mut **conn)
            .await?
    });
    Ok(id)
}

/// Append the record that someone *read* content (a page view), without an
/// fsync of its own. On SQLite the view queues its row and the holder of
/// the write turn commits every queued row in one transaction with
/// `synchronous=NORMAL` (see [`super::write_gate`]); it reaches the disk
/// with the next durable commit or WAL checkpoint. On PostgreSQL it commits
/// with `synchronous_commit = off` (the WAL writer flushes it within a
/// fraction of a second). Either way the call returns once its row is
/// committed, so a clean shutdown keeps every such row; a power loss or
/// operating-system crash can cost the last moments of them, never anything
/// a person submitted (those commit with a full sync).
pub async fn append_read(db: &Db, event: &AuditEventForCreate) -> Result<(), StoreError> {
    match db {
        Db::Sqlite(pool) => {
            super::statements::note();
            // The group's writer takes a connection of its own.
            super::held::release(db);
            let gate = super::write_gate::of(pool);
            let mut committed = gate.queue(event.clone());
            // Someone else's group may carry this row while we wait our turn.
            let turn = tokio::select! {
                biased;
                done = &mut committed => return written(done),
                turn = gate.turn(pool) => turn,
            };
            let turn = match turn {
                Ok(turn) => turn,
                // Out of patience; a group may have carried the row meanwhile.
                Err(err) => return committed.try_recv().map_or(Err(err), |done| written(Ok(done))),
            };
            let group = gate.take_queued();
            if group.is_empty() {
                drop(turn);
            } else {
                // Written in a task of its own: a view whose request ends
                // (the browser went away) must not take the others' rows
                // with it half-way through the commit.
                let (writer, gate) = (gate.writer(pool), gate.clone());
                tokio::spawn(async move {
                    let outcome = write_group(&writer, &group).await.map_err(|err| err.to_string());
                    if outcome.is_ok() {
                        gate.group_written();
                    }
                    for queued in group {
                        let _ = queued.done.send(outcome.clone());
                    }
                    drop(turn);
                });
            }
            written(committed.await)
        }
        Db::Postgres(_) => {
            let mut tx = db.begin_write().await?;
            on_tx!(&mut tx, conn => {
                sqlx::query("SET LOCAL synchronous_commit = off").execute(&mut **conn).await?;
            });
            append(&mut tx, event).await?;
            tx.commit().await?;
            Ok(())
        }
    }
}

/// What a queued read record's writer said of it.
fn written(done: Result<Result<(), String>, tokio::sync::oneshot::error::RecvError>) -> Result<(), StoreError> {
    match done {
        Ok(Ok(())) => Ok(()),
        Ok(Err(message)) => Err(unwritten(format!("read record not written: {message}"))),
        Err(_) => Err(unwritten("read record dropped unwritten".to_owned())),
    }
}

/// The error of a read record whose group failed (the group's writer
/// holds the cause; `sqlx::Error` cannot be copied to every waiter).
fn unwritten(message: String) -> StoreError {
    StoreError::Database(sqlx::Error::Io(std::io::Error::other(message)))
}

/// Write a group of read records in one SQLite transaction without a full
/// sync (the caller holds the write turn).
async fn write_group(pool: &sqlx::SqlitePool, group: &[super::write_gate::Queued]) -> Result<(), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    sqlx::query("PRAGMA synchronous = NORMAL").execute(&mut *conn).await?;
    let written = async {
        let mut tx = sqlx::Connection::begin_with(&mut *conn, "BEGIN IMMEDIATE").await?;
        for rows in group.chunks(READ_ROWS_PER_INSERT) {
            let mut insert = sqlx::QueryBuilder::new(
                "INSERT INTO audit_events \
                 (occurred_at, actor_person_id, institution_id, subject_person_id, action, details) ",
            );
            insert.push_values(rows, |mut row, queued| {
                let event = &queued.event;
                row.push_bind(event.occurred_at)
                    .push_bind(event.actor)
                    .push_bind(event.institution)
                    .push_bind(event.subject)
                    .push_bind(event.action.code())
                    .push_bind(Json(&event.details));
            });
            insert.build().execute(&mut *tx).await?;
        }
        tx.commit().await
    }
    .await;
    // Every other use of a pooled connection expects full syncs: a
    // connection that cannot be switched back is closed, not reused.
    if sqlx::query("PRAGMA synchronous = FULL")
        .execute(&mut *conn)
        .await
        .is_err()
    {
        conn.close_on_drop();
    }
    written
}

/// Rows per multi-row insert: six values each, within SQLite's limit of
/// bound values per statement.
const READ_ROWS_PER_INSERT: usize = 100;

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    occurred_at: DateTime<Utc>,
    actor_person_id: Option<i64>,
    institution_id: Option<i64>,
    subject_person_id: Option<i64>,
    action: String,
    details: Json<serde_json::Value>,
}

/// One page of an institution's events, newest first: through
/// `audit_events_institution_id_idx`, without sorting.
pub(crate) const LIST_SQL: &str = "SELECT id, occurred_at, actor_person_id, institution_id, subject_person_id, action, details \
               FROM audit_events \
               WHERE institution_id = $1 \
                 AND ($2 IS NULL OR subject_person_id = $2) \
                 AND ($3 IS NULL OR occurred_at >= $3) \
                 AND ($4 IS NULL OR occurred_at < $4) \
                 AND ($5 IS NULL OR id < $5) \
               ORDER BY id DESC LIMIT $6";

/// One page of an institution's events, newest first.
pub async fn list(db: &Db, filter: &AuditFilter) -> Result<Vec<AuditEvent>, StoreError> {
    let limit = i64::from(filter.limit.clamp(1, 500));
    let rows: Vec<AuditRow> = on_db!(db, pool => {
        sqlx::query_as(LIST_SQL)
            .bind(filter.institution)
            .bind(filter.subject)
            .bind(filter.from)
            .bind(filter.until)
            .bind(filter.before_id)
            .bind(limit)
            .fetch_all(pool)
            .await?
    });
    Ok(rows.into_iter().map(to_event).collect())
}

fn to_event(row: AuditRow) -> AuditEvent {
    AuditEvent {
        id: row.id,
        occurred_at: row.occurred_at,
        actor: row.actor_person_id.map(PersonId),
        institution: row.institution_id.map(InstitutionId),
        subject: row.subject_person_id.map(PersonId),
        action: row.action,
        details: row.details.0,
    }
}

/// Delete the events that occurred before `before` (the audit log's own
/// retention period); the database refuses any younger than a year.
pub async fn prune(db: &Db, before: DateTime<Utc>) -> Result<u64, StoreError> {
    let sql = "DELETE FROM audit_events WHERE occurred_at < $1";
    Ok(on_db!(db, pool => sqlx::query(sql).bind(before).execute(pool).await?.rows_affected()))
}

/// When `person` logged in, newest first, at most `limit` times.
pub async fn logins_of(db: &Db, person: PersonId, limit: usize) -> Result<Vec<DateTime<Utc>>, StoreError> {
    let sql = "SELECT occurred_at FROM audit_events \
               WHERE subject_person_id = $1 AND action = $2 \
               ORDER BY occurred_at DESC, id DESC LIMIT $3";
    let code = crate::domain::AuditAction::LoginSucceeded.code();
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    Ok(on_db!(db, pool => sqlx::query_scalar(sql).bind(person).bind(code).bind(limit).fetch_all(pool).await?))
}

/// The institution's events about `person` with one of `actions`, newest first.
pub async fn about(
    db: &Db,
    institution: InstitutionId,
    person: PersonId,
    actions: &[crate::domain::AuditAction],
) -> Result<Vec<AuditEvent>, StoreError> {
    let codes: Vec<String> = actions.iter().map(|a| a.code().to_owned()).collect();
    let placeholders: Vec<String> = (0..codes.len()).map(|i| format!("${}", i + 3)).collect();
    let sql = format!(
        "SELECT id, occurred_at, actor_person_id, institution_id, subject_person_id, action, details \
         FROM audit_events WHERE institution_id = $1 AND subject_person_id = $2 AND action IN ({}) \
         ORDER BY id DESC",
        placeholders.join(", ")
    );
    let rows: Vec<AuditRow> = on_db!(db, pool => {
        let mut query = sqlx::query_as(&sql).bind(institution).bind(person);
        for code in &codes {
            query = query.bind(code);
        }
        query.fetch_all(pool).await?
    });
    Ok(rows.into_iter().map(to_event).collect())
}

/// When `person` logged in before the latest login: the start of "since
/// your last visit". `None` for someone on their first login.
pub async fn previous_login(db: &Db, person: PersonId) -> Result<Option<DateTime<Utc>>, StoreError> {
    let sql = "SELECT occurred_at FROM audit_events \
               WHERE subject_person_id = $1 AND action = $2 \
               ORDER BY occurred_at DESC LIMIT 1 OFFSET 1";
    let code = crate::domain::AuditAction::LoginSucceeded.code();
    Ok(on_db!(db, pool => sqlx::query_scalar(sql).bind(person).bind(code).fetch_optional(pool).await?))
}

/// Count one refused request under `key` (who, or which client, and what)
/// in `minute` (`YYYY-MM-DDTHH:MM`); returns the count so far in that minute,
/// 1 for the first. Counts older than `prune_before` are dropped on the way.
pub async fn count_denial(tx: &mut Tx, key: &str, minute: &str, prune_before: &str) -> Result<i64, StoreError> {
    let upsert = "INSERT INTO denial_counts (key, minute, count) VALUES ($1, $2, 1) \
                  ON CONFLICT (key, minute) DO UPDATE SET count = denial_counts.count + 1 RETURNING count";
    let prune = "DELETE FROM denial_counts WHERE minute < $1";
    let count: i64 = on_tx!(tx, conn => {
        let count: i64 = sqlx::query_scalar(upsert).bind(key).bind(minute).fetch_one(&mut **conn).await?;
        if count == 1 {
            sqlx::query(prune).bind(prune_before).execute(&mut **conn).await?;
        }
        count
    });
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::AuditAction;
    use crate::testing::{at, two_institutions};
    use serde_json::json;

    fn event(institution: InstitutionId, subject: Option<PersonId>, day: u32) -> AuditEventForCreate {
        AuditEventForCreate {
            occurred_at: at(2026, 10, day),
            actor: Some(PersonId(1)),
            institution: Some(institution),
            subject,
            action: AuditAction::PersonCreated,
            details: json!({ "day": day }),
        }
    }

    crate::db_test!(async fn append_and_page_through_newest_first(db) {
        let f = two_institutions(db).await;
        let mut tx = db.begin_write().await.unwrap();
        for day in 1..=5 {
            append(&mut tx, &event(f.a, Some(PersonId(day as i64)), day)).await.unwrap();
        }
        append(&mut tx, &event(f.b, None, 6)).await.unwrap();
        tx.commit().await.unwrap();

        let mut filter = AuditFilter::institution(f.a);
        filter.limit = 2;
        let first = list(db, &filter).await.unwrap();
        assert_eq!(first.iter().map(|e| e.details["day"].as_i64().unwrap()).collect::<Vec<_>>(), [5, 4]);
        assert_eq!(first[0].action, "person_created");
        assert_eq!(first[0].actor, Some(PersonId(1)));
        assert_eq!(first[0].occurred_at, at(2026, 10, 5));

        filter.before_id = Some(first[1].id);
        let second = list(db, &filter).await.unwrap();
        assert_eq!(second.iter().map(|e| e.details["day"].as_i64().unwrap()).collect::<Vec<_>>(), [3, 2]);
    });

    crate::db_test!(async fn filters_by_subject_and_time_window_within_the_institution(db) {
        let f = two_institutions(db).await;
        let mut tx = db.begin_write().await.unwrap();
        for day in 1..=5 {
            append(&mut tx, &event(f.a, Some(PersonId(if day % 2 == 0 { 7 } else { 8 })), day)).await.unwrap();
        }
        append(&mut tx, &event(f.b, Some(PersonId(7)), 3)).await.unwrap();
        tx.commit().await.unwrap();

        let mut filter = AuditFilter::institution(f.a);
        filter.subject = Some(PersonId(7));
        let days = |events: Vec<AuditEvent>| events.iter().map(|e| e.details["day"].as_i64().unwrap()).collect::<Vec<_>>();
        assert_eq!(days(list(db, &filter).await.unwrap()), [4, 2]);

        filter.subject = None;
        filter.from = Some(at(2026, 10, 2));
        filter.until = Some(at(2026, 10, 4));
        assert_eq!(days(list(db, &filter).await.unwrap()), [3, 2]);
    });

    crate::db_test!(async fn events_cannot_be_updated_or_deleted(db) {
        let f = two_institutions(db).await;
        let mut tx = db.begin_write().await.unwrap();
        // Made now by the real clock: the database keeps any event for a year.
        let young = AuditEventForCreate {
            occurred_at: Utc::now(),
            ..event(f.a, None, 1)
        };
        append(&mut tx, &young).await.unwrap();
        tx.commit().await.unwrap();

        for sql in ["UPDATE audit_events SET action = 'rewritten'", "DELETE FROM audit_events"] {
            let err = crate::testing::execute(db, sql).await.expect_err(sql);
            assert!(err.to_string().contains("append-only"), "{sql}: {err}");
        }
        assert_eq!(list(db, &AuditFilter::institution(f.a)).await.unwrap().len(), 1);
        // Not even the retention period's pruning can take it.
        assert!(prune(db, Utc::now() + chrono::Duration::days(1)).await.is_err());
        assert_eq!(list(db, &AuditFilter::institution(f.a)).await.unwrap().len(), 1);
    });

    crate::db_test!(async fn events_past_the_retention_period_are_pruned_and_no_others(db) {
        let f = two_institutions(db).await;
        let mut tx = db.begin_write().await.unwrap();
        let old = AuditEventForCreate {
            occurred_at: at(2019, 3, 1),
            ..event(f.a, None, 1)
        };
        let kept = AuditEventForCreate {
            occurred_at: Utc::now() - chrono::Duration::days(400),
            ..event(f.a, None, 2)
        };
        append(&mut tx, &old).await.unwrap();
        append(&mut tx, &kept).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(prune(db, at(2020, 1, 1)).await.unwrap(), 1);
        let left = list(db, &AuditFilter::institution(f.a)).await.unwrap();
        assert_eq!(left.iter().map(|e| e.details["day"].as_i64().unwrap()).collect::<Vec<_>>(), [2]);
    });

    crate::db_test!(async fn a_view_that_goes_away_while_waiting_loses_no_record(db) {
        let f = two_institutions(db).await;
        let writing = db.begin_write().await.unwrap();
        let view = |day| {
            let db = db.clone();
            let event = AuditEventForCreate {
                action: AuditAction::ConversationRead,
                ..event(f.a, None, day)
            };
            tokio::spawn(async move { append_read(&db, &event).await })
        };
        let (gone, staying) = (view(1), view(2));
        tokio::task::yield_now().await;
        writing.commit().await.unwrap();
        gone.abort();
        staying.await.unwrap().unwrap();
        // The next view's record commits after every earlier one.
        let last = AuditEventForCreate {
            action: AuditAction::ConversationRead,
            ..event(f.a, None, 3)
        };
        append_read(db, &last).await.unwrap();
        let read = list(db, &AuditFilter::institution(f.a)).await.unwrap();
        let days: std::collections::BTreeSet<u32> = read
            .iter()
            .filter(|e| e.action == AuditAction::ConversationRead.code())
            .map(|e| chrono::Datelike::day(&e.occurred_at))
            .collect();
        assert!(days.contains(&2) && days.contains(&3), "{days:?}");
    });

    crate::db_test!(async fn read_records_made_while_someone_writes_are_all_committed_together(db) {
        let f = two_institutions(db).await;
        let writing = db.begin_write().await.unwrap();
        let views: Vec<_> = (1..=20)
            .map(|day| {
                let db = db.clone();
                let event = AuditEventForCreate {
                    action: AuditAction::ConversationRead,
                    ..event(f.a, None, day)
                };
                tokio::spawn(async move { append_read(&db, &event).await })
            })
            .collect();
        let gate = match db {
            Db::Sqlite(pool) => Some(crate::store::write_gate::of(pool)),
            Db::Postgres(_) => None,
        };
        if let Some(gate) = &gate {
            // Each view queues its record and waits for the writer.
            while gate.queued_len() < views.len() {
                tokio::task::yield_now().await;
            }
            assert!(views.iter().all(|view| !view.is_finished()), "a view's record waits for its commit");
        }
        writing.commit().await.unwrap();
        for view in views {
            view.await.unwrap().unwrap();
        }
        let read = list(db, &AuditFilter::institution(f.a)).await.unwrap();
        let mut days: Vec<u32> = read
            .iter()
            .filter(|e| e.action == AuditAction::ConversationRead.code())
            .map(|e| chrono::Datelike::day(&e.occurred_at))
            .collect();
        days.sort_unstable();
        assert_eq!(days, (1..=20).collect::<Vec<_>>(), "every view's record, once");
        if let Some(gate) = gate {
            assert_eq!(gate.groups_written(), 1, "twenty views, one commit");
        }
    });
}
