//! People: one row per human being, whatever their roles.

use chrono::{DateTime, Utc};

use super::{Db, StoreError, Tx, on_db, on_tx};
use crate::domain::{Email, Name, Person, PersonForCreate, PersonId};

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: i64,
    full_name: String,
    email: Option<String>,
    created_at: DateTime<Utc>,
}

impl TryFrom<PersonRow> for Person {
    type Error = StoreError;
    fn try_from(row: PersonRow) -> Result<Self, StoreError> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("person {} {what}", row.id));
        Ok(Person {
            id: PersonId(row.id),
            full_name: Name::parse(&row.full_name).map_err(|_| corrupt("name"))?,
            email: row
                .email
                .as_deref()
                .map(Email::parse)
                .transpose()
                .map_err(|_| corrupt("email"))?,
            created_at: row.created_at,
        })
    }
}

const COLUMNS: &str = "id, full_name, email, created_at";

/// Insert a person. An e-mail address already in use gives
/// `StoreError::Conflict("people_email_key")`.
pub async fn create(
    tx: &mut Tx,
    new: &PersonForCreate,
    at: DateTime<Utc>,
) -> Result<PersonId, StoreError> {
    let sql = "INSERT INTO people (full_name, email, created_at) VALUES ($1, $2, $3) RETURNING id";
    let id: i64 = on_tx!(tx, conn => {
        sqlx::query_scalar(sql)
            .bind(new.full_name.as_str())
            .bind(new.email.as_ref().map(Email::as_str))
            .bind(at)
            .fetch_one(&mut **conn)
            .await?
    });
    Ok(PersonId(id))
}

pub async fn get(db: &Db, id: PersonId) -> Result<Person, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM people WHERE id = $1");
    let row: PersonRow = on_db!(db, pool => sqlx::query_as(&sql).bind(id).fetch_one(pool).await?);
    row.try_into()
}

pub async fn find_by_email(db: &Db, email: &Email) -> Result<Option<Person>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM people WHERE email = $1");
    let row: Option<PersonRow> =
        on_db!(db, pool => sqlx::query_as(&sql).bind(email.as_str()).fetch_optional(pool).await?);
    row.map(Person::try_from).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::at;

    fn person(name: &str, email: Option<&str>) -> PersonForCreate {
        PersonForCreate {
            full_name: Name::parse(name).unwrap(),
            email: email.map(|e| Email::parse(e).unwrap()),
        }
    }

    crate::db_test!(async fn create_get_and_find_by_email(db) {
        let mut tx = db.begin_write().await.unwrap();
        let sanne = create(&mut tx, &person("Sanne de Vries", Some("s.devries@deltacollege.nl")), at(2026, 8, 15)).await.unwrap();
        let noor = create(&mut tx, &person("Noor Bakker", None), at(2026, 8, 16)).await.unwrap();
        tx.commit().await.unwrap();

        let got = get(db, sanne).await.unwrap();
        assert_eq!(got.full_name.as_str(), "Sanne de Vries");
        assert_eq!(got.email.as_ref().map(Email::as_str), Some("s.devries@deltacollege.nl"));
        assert_eq!(get(db, noor).await.unwrap().email, None);

        let found = find_by_email(db, &Email::parse("S.deVries@Deltacollege.nl").unwrap()).await.unwrap();
        assert_eq!(found.map(|p| p.id), Some(sanne));
        assert!(matches!(get(db, PersonId(999)).await, Err(StoreError::NotFound)));
    });

    crate::db_test!(async fn email_is_unique_but_may_be_missing_for_many(db) {
        let mut tx = db.begin_write().await.unwrap();
        create(&mut tx, &person("A", None), at(2026, 8, 15)).await.unwrap();
        create(&mut tx, &person("B", None), at(2026, 8, 15)).await.unwrap();
        create(&mut tx, &person("C", Some("c@x.nl")), at(2026, 8, 15)).await.unwrap();
        let err = create(&mut tx, &person("D", Some("C@X.nl")), at(2026, 8, 15)).await.unwrap_err();
        assert!(err.is_conflict_on("people_email_key"), "{err:?}");
    });
}
