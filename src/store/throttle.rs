//! Failed-login bookkeeping for throttling. Kept in the database so the
//! limit holds across app nodes; rows older than the window are pruned.

use chrono::{DateTime, Utc};

use super::{Db, StoreError, Tx, on_db, on_tx};

/// Record a failure for `key` and prune what is older than `prune_before`.
pub async fn record_failure(
    tx: &mut Tx,
    key: &str,
    at: DateTime<Utc>,
    prune_before: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("DELETE FROM login_failures WHERE failed_at < $1").bind(prune_before).execute(&mut **conn).await?;
        sqlx::query("INSERT INTO login_failures (throttle_key, failed_at) VALUES ($1, $2)")
            .bind(key)
            .bind(at)
            .execute(&mut **conn)
            .await?;
    });
    Ok(())
}

/// Failures for `key` since `since`: how many, and the oldest one.
pub async fn failures_since(
    db: &Db,
    key: &str,
    since: DateTime<Utc>,
) -> Result<(i64, Option<DateTime<Utc>>), StoreError> {
    let sql = "SELECT COUNT(*), MIN(failed_at) FROM login_failures WHERE throttle_key = $1 AND failed_at >= $2";
    Ok(on_db!(db, pool => sqlx::query_as(sql).bind(key).bind(since).fetch_one(pool).await?))
}

/// Forget the failures of `key` (after a successful login).
pub async fn clear(tx: &mut Tx, key: &str) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("DELETE FROM login_failures WHERE throttle_key = $1").bind(key).execute(&mut **conn).await?;
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::at;
    use chrono::Duration;

    crate::db_test!(async fn counts_failures_in_the_window_prunes_and_clears(db) {
        let t0 = at(2026, 11, 1);
        let mut tx = db.begin_write().await.unwrap();
        for minute in [0, 5, 10] {
            record_failure(&mut tx, "account:a@roc.nl", t0 + Duration::minutes(minute), t0 - Duration::hours(1)).await.unwrap();
        }
        record_failure(&mut tx, "ip:10.0.0.1", t0, t0 - Duration::hours(1)).await.unwrap();
        tx.commit().await.unwrap();

        assert_eq!(failures_since(db, "account:a@roc.nl", t0).await.unwrap(), (3, Some(t0)));
        assert_eq!(failures_since(db, "account:a@roc.nl", t0 + Duration::minutes(1)).await.unwrap().0, 2);
        assert_eq!(failures_since(db, "account:b@roc.nl", t0).await.unwrap(), (0, None));

        let mut tx = db.begin_write().await.unwrap();
        clear(&mut tx, "account:a@roc.nl").await.unwrap();
        record_failure(&mut tx, "ip:10.0.0.2", t0 + Duration::hours(3), t0 + Duration::hours(2)).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(failures_since(db, "account:a@roc.nl", t0).await.unwrap().0, 0);
        assert_eq!(failures_since(db, "ip:10.0.0.1", t0).await.unwrap().0, 0, "pruned as older than the window");
    });
}
