//! People: one row per human being, whatever their roles. Reads within an
//! institution take its id, so another institution's person is not found.

use chrono::{DateTime, Utc};

use super::{Db, StoreError, Tx, on_db, on_tx};
use crate::domain::{
    AccountStatus, Email, InstitutionId, Name, PeopleFilter, Person, PersonForCreate, PersonForUpdate, PersonId,
    PersonListItem, Role, TeamId, search_key,
};

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: i64,
    full_name: String,
    email: Option<String>,
    institution_id: Option<i64>,
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
            institution: row.institution_id.map(InstitutionId),
            created_at: row.created_at,
        })
    }
}

const COLUMNS: &str = "id, full_name, email, institution_id, created_at";

fn key_of(name: &Name, email: Option<&Email>) -> String {
    search_key(&[name.as_str(), email.map(Email::as_str).unwrap_or("")])
}

/// The key a name sorts by (`people.name_key`): the name alone, folded as
/// `search_key` folds it, compared byte by byte.
pub fn name_key(name: &str) -> String {
    search_key(&[name])
}

/// Insert a person. An e-mail address already in use gives
/// `StoreError::Conflict("people_email_key")`.
pub async fn create(tx: &mut Tx, new: &PersonForCreate, at: DateTime<Utc>) -> Result<PersonId, StoreError> {
    let sql = "INSERT INTO people (full_name, email, institution_id, search_key, name_key, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
    let id: i64 = on_tx!(tx, conn => {
        sqlx::query_scalar(sql)
            .bind(new.full_name.as_str())
            .bind(new.email.as_ref().map(Email::as_str))
            .bind(new.institution)
            .bind(key_of(&new.full_name, new.email.as_ref()))
            .bind(name_key(new.full_name.as_str()))
            .bind(at)
            .fetch_one(&mut **conn)
            .await?
    });
    Ok(PersonId(id))
}

/// Write the sort key of every person who has none: the people who were
/// here before the key existed. Runs at start, after the migrations; a
/// name changed meanwhile is read again rather than given the old name's
/// key. Returns how many rows were looked at.
pub async fn fill_name_keys(db: &Db) -> Result<u64, StoreError> {
    let mut filled = 0;
    loop {
        let rows: Vec<(i64, String)> = on_db!(db, pool => {
            sqlx::query_as("SELECT id, full_name FROM people WHERE name_key IS NULL ORDER BY id LIMIT 1000")
                .fetch_all(pool)
                .await?
        });
        if rows.is_empty() {
            return Ok(filled);
        }
        let mut tx = db.begin_write().await?;
        for (id, full_name) in &rows {
            on_tx!(&mut tx, conn => {
                sqlx::query("UPDATE people SET name_key = $1 WHERE id = $2 AND full_name = $3 AND name_key IS NULL")
                    .bind(name_key(full_name))
                    .bind(id)
                    .bind(full_name)
                    .execute(&mut **conn)
                    .await?;
            });
        }
        tx.commit().await?;
        filled += rows.len() as u64;
    }
}

/// Change name and e-mail address of a person of the institution.
/// Change a person's name and address (by a coordinator or the HR
/// import). A changed address is dated: a password link for an account
/// that holds data never goes to an address someone else set after the
/// person last logged in.
pub async fn update(
    tx: &mut Tx,
    institution: InstitutionId,
    id: PersonId,
    change: &PersonForUpdate,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let sql = "UPDATE people SET full_name = $1, email = $2, search_key = $3, name_key = $7, \
               email_changed_at = CASE WHEN email IS DISTINCT FROM $2 THEN $6 ELSE email_changed_at END \
               WHERE id = $4 AND institution_id = $5";
    let done = on_tx!(tx, conn => {
        sqlx::query(sql)
            .bind(change.full_name.as_str())
            .bind(change.email.as_ref().map(Email::as_str))
            .bind(key_of(&change.full_name, change.email.as_ref()))
            .bind(id)
            .bind(institution)
            .bind(at)
            .bind(name_key(change.full_name.as_str()))
            .execute(&mut **conn)
            .await?
            .rows_affected()
    });
    if done == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Change the name of any person (their own account page).
pub async fn rename(tx: &mut Tx, id: PersonId, full_name: &Name) -> Result<(), StoreError> {
    let sql = "UPDATE people SET full_name = $1, search_key = $2, name_key = $4 WHERE id = $3";
    let person_email: Option<String> = on_tx!(tx, conn => {
        sqlx::query_scalar("SELECT email FROM people WHERE id = $1").bind(id).fetch_one(&mut **conn).await?
    });
    let key = search_key(&[full_name.as_str(), person_email.as_deref().unwrap_or("")]);
    on_tx!(tx, conn => {
        sqlx::query(sql)
            .bind(full_name.as_str())
            .bind(key)
            .bind(id)
            .bind(name_key(full_name.as_str()))
            .execute(&mut **conn)
            .await?;
    });
    Ok(())
}

pub async fn get(db: &Db, id: PersonId) -> Result<Person, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM people WHERE id = $1");
    let row: PersonRow = on_db!(db, pool => sqlx::query_as(&sql).bind(id).fetch_one(pool).await?);
    row.try_into()
}

/// A person of the institution; anyone else is `NotFound`.
pub async fn get_in_institution(db: &Db, institution: InstitutionId, id: PersonId) -> Result<Person, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM people WHERE id = $1 AND institution_id = $2");
    let row: PersonRow = on_db!(db, pool => sqlx::query_as(&sql).bind(id).bind(institution).fetch_one(pool).await?);
    row.try_into()
}

/// Id, name, e-mail and employee number of the institution's people who
/// have an employee number (the HR import matches on it).
pub async fn with_employee_numbers(
    db: &Db,
    institution: InstitutionId,
) -> Result<Vec<(PersonId, String, Option<String>, String)>, StoreError> {
    let sql = "SELECT id, full_name, email, employee_number FROM people \
               WHERE institution_id = $1 AND employee_number IS NOT NULL";
    let rows: Vec<(i64, String, Option<String>, String)> =
        on_db!(db, pool => sqlx::query_as(sql).bind(institution).fetch_all(pool).await?);
    Ok(rows
        .into_iter()
        .map(|(id, name, email, number)| (PersonId(id), name, email, number))
        .collect())
}

/// Every e-mail address in the deployment with its person (e-mail
/// addresses are unique across institutions; the import checks them).
pub async fn email_owners(db: &Db) -> Result<Vec<(String, PersonId)>, StoreError> {
    let sql = "SELECT email, id FROM people WHERE email IS NOT NULL";
    let rows: Vec<(String, i64)> = on_db!(db, pool => sqlx::query_as(sql).fetch_all(pool).await?);
    Ok(rows.into_iter().map(|(email, id)| (email, PersonId(id))).collect())
}

/// Set (or clear) a person's employee number.
pub async fn set_employee_number(tx: &mut Tx, id: PersonId, number: Option<&str>) -> Result<(), StoreError> {
    let sql = "UPDATE people SET employee_number = $1 WHERE id = $2";
    on_tx!(tx, conn => { sqlx::query(sql).bind(number).bind(id).execute(&mut **conn).await?; });
    Ok(())
}

/// Id and name of every person of the institution.
pub async fn names_in_institution(db: &Db, institution: InstitutionId) -> Result<Vec<(PersonId, String)>, StoreError> {
    let sql = "SELECT id, full_name FROM people WHERE institution_id = $1";
    let rows: Vec<(i64, String)> = on_db!(db, pool => sqlx::query_as(sql).bind(institution).fetch_all(pool).await?);
    Ok(rows.into_iter().map(|(id, name)| (PersonId(id), name)).collect())
}

/// Id, name and e-mail address of the institution's people with an active
/// membership in `role`, one per membership in the order they were given.
pub async fn with_role(
    db: &Db,
    institution: InstitutionId,
    role: crate::domain::Role,
) -> Result<Vec<(PersonId, String, Option<String>)>, StoreError> {
    let sql = "SELECT p.id, p.full_name, p.email FROM memberships m JOIN people p ON p.id = m.person_id \
               WHERE m.institution_id = $1 AND m.role = $2 AND m.ended_at IS NULL ORDER BY m.id";
    let rows: Vec<(i64, String, Option<String>)> =
        on_db!(db, pool => sqlx::query_as(sql).bind(institution).bind(role.code()).fetch_all(pool).await?);
    Ok(rows
        .into_iter()
        .map(|(id, name, email)| (PersonId(id), name, email))
        .collect())
}

/// Id and name of the given people of the institution (others are left out).
pub async fn names_of(
    db: &Db,
    institution: InstitutionId,
    ids: &[PersonId],
) -> Result<Vec<(PersonId, String)>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, String)> = on_db!(db, pool => {
        let mut query = sqlx::QueryBuilder::new("SELECT id, full_name FROM people WHERE institution_id = ");
        query.push_bind(institution).push(" AND id IN (");
        let mut list = query.separated(", ");
        for id in ids {
            list.push_bind(id.0);
        }
        list.push_unseparated(")");
        query.build_query_as().fetch_all(pool).await?
    });
    Ok(rows.into_iter().map(|(id, name)| (PersonId(id), name)).collect())
}

pub async fn find_by_email(db: &Db, email: &Email) -> Result<Option<Person>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM people WHERE email = $1");
    let row: Option<PersonRow> =
        on_db!(db, pool => sqlx::query_as(&sql).bind(email.as_str()).fetch_optional(pool).await?);
    row.map(Person::try_from).transpose()
}

/// People of an institution matching the filter, by name, with their active
/// roles. `limit`/`offset` page through the list in the database: a page
/// reads its own people and their memberships, never the whole institution.
pub async fn list(
    db: &Db,
    institution: InstitutionId,
    filter: &PeopleFilter,
    limit: u32,
    offset: u32,
) -> Result<Vec<PersonListItem>, StoreError> {
    // The status as `AccountStatus` has it: deactivated, else active with a
    // password or a linked school account, else invited (also without any
    // account row).
    let sql = "SELECT p.id, p.full_name, p.email, (a.password_hash IS NOT NULL OR EXISTS \
                        (SELECT 1 FROM school_identities si WHERE si.person_id = p.id)) AS has_password, \
                      a.deactivated_at IS NOT NULL AS deactivated \
               FROM people p LEFT JOIN accounts a ON a.person_id = p.id \
               WHERE p.institution_id = $1 \
                 AND ($2 IS NULL OR p.search_key LIKE $2 ESCAPE '\\') \
                 AND ($3 IS NULL OR EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = p.id \
                        AND m.ended_at IS NULL AND m.role = $3 AND ($4 IS NULL OR m.team_id = $4))) \
                 AND ($4 IS NULL OR EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = p.id \
                        AND m.ended_at IS NULL AND m.team_id = $4)) \
                 AND ($5 IS NULL OR $5 = CASE WHEN a.deactivated_at IS NOT NULL THEN 'deactivated' \
                        WHEN a.password_hash IS NOT NULL THEN 'active' \
                        WHEN EXISTS (SELECT 1 FROM school_identities si WHERE si.person_id = p.id) THEN 'active' \
                        ELSE 'invited' END) \
               ORDER BY p.search_key, p.id LIMIT $6 OFFSET $7";
    let pattern = filter
        .query
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(|q| format!("%{}%", escape_like(&search_key(&[q]))));
    let status = filter.status.map(|s| match s {
        AccountStatus::Invited => "invited",
        AccountStatus::Active => "active",
        AccountStatus::Deactivated => "deactivated",
    });
    let rows: Vec<(i64, String, Option<String>, bool, bool)> = on_db!(db, pool => {
        sqlx::query_as(sql)
            .bind(institution)
            .bind(pattern)
            .bind(filter.role.map(Role::code))
            .bind(filter.team)
            .bind(status)
            .bind(i64::from(limit))
            .bind(i64::from(offset))
            .fetch_all(pool)
            .await?
    });
    let ids: Vec<PersonId> = rows.iter().map(|row| PersonId(row.0)).collect();
    let memberships = super::memberships::active_for_people(db, &ids).await?;
    let items = rows
        .into_iter()
        .map(|(id, full_name, email, has_password, deactivated)| {
            let status = if deactivated {
                AccountStatus::Deactivated
            } else if has_password {
                AccountStatus::Active
            } else {
                AccountStatus::Invited
            };
            let roles = memberships
                .iter()
                .filter(|m| m.person.0 == id)
                .map(|m| (m.role, m.team))
                .collect::<Vec<(Role, Option<TeamId>)>>();
            PersonListItem {
                id: PersonId(id),
                full_name,
                email,
                status,
                roles,
            }
        })
        .collect();
    Ok(items)
}

/// How many people the institution has.
pub async fn count(db: &Db, institution: InstitutionId) -> Result<i64, StoreError> {
    let sql = "SELECT COUNT(*) FROM people WHERE institution_id = $1";
    Ok(on_db!(db, pool => sqlx::query_scalar(sql).bind(institution).fetch_one(pool).await?))
}

/// How many people of the institution are invited: no password set yet and
/// not deactivated (the status `list` shows as invited), counted in SQL.
pub async fn count_invited(db: &Db, institution: InstitutionId) -> Result<i64, StoreError> {
    let sql = "SELECT COUNT(*) FROM people p LEFT JOIN accounts a ON a.person_id = p.id \
               WHERE p.institution_id = $1 AND a.password_hash IS NULL AND a.deactivated_at IS NULL \
                 AND NOT EXISTS (SELECT 1 FROM school_identities si WHERE si.person_id = p.id)";
    Ok(on_db!(db, pool => sqlx::query_scalar(sql).bind(institution).fetch_one(pool).await?))
}

const LIKE_ESCAPE: char = '\\';

fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | LIKE_ESCAPE) {
            escaped.push(LIKE_ESCAPE);
        }
        escaped.push(c);
    }
    escaped
}

/// When someone other than the person last changed their address (`None`:
/// never since the person was created).
pub async fn email_changed_at(db: &Db, id: PersonId) -> Result<Option<DateTime<Utc>>, StoreError> {
    let sql = "SELECT email_changed_at FROM people WHERE id = $1";
    let at: Option<Option<DateTime<Utc>>> =
        on_db!(db, pool => sqlx::query_scalar(sql).bind(id).fetch_optional(pool).await?);
    Ok(at.flatten())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, person, two_institutions};

    crate::db_test!(async fn create_get_find_and_update(db) {
        let f = two_institutions(db).await;
        let mut tx = db.begin_write().await.unwrap();
        let sanne = create(&mut tx, &person("Sanne de Vries", Some("s.devries@deltacollege.nl"), Some(f.a)), at(2026, 8, 15)).await.unwrap();
        let noor = create(&mut tx, &person("Noor Bakker", None, Some(f.a)), at(2026, 8, 16)).await.unwrap();
        tx.commit().await.unwrap();

        let got = get(db, sanne).await.unwrap();
        assert_eq!(got.full_name.as_str(), "Sanne de Vries");
        assert_eq!(got.email.as_ref().map(Email::as_str), Some("s.devries@deltacollege.nl"));
        assert_eq!(got.institution, Some(f.a));
        assert_eq!(get(db, noor).await.unwrap().email, None);
        let found = find_by_email(db, &Email::parse("S.deVries@Deltacollege.nl").unwrap()).await.unwrap();
        assert_eq!(found.map(|p| p.id), Some(sanne));
        assert!(matches!(get(db, PersonId(999)).await, Err(StoreError::NotFound)));
        assert!(matches!(get_in_institution(db, f.b, sanne).await, Err(StoreError::NotFound)));

        let mut tx = db.begin_write().await.unwrap();
        let change = PersonForUpdate { full_name: Name::parse("Sanne Jansen").unwrap(), email: None };
        update(&mut tx, f.a, sanne, &change, at(2026, 9, 1)).await.unwrap();
        assert!(matches!(update(&mut tx, f.b, noor, &change, at(2026, 9, 1)).await, Err(StoreError::NotFound)));
        rename(&mut tx, noor, &Name::parse("Noor de Boer").unwrap()).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(get_in_institution(db, f.a, sanne).await.unwrap().full_name.as_str(), "Sanne Jansen");
        assert_eq!(get(db, noor).await.unwrap().full_name.as_str(), "Noor de Boer");
        assert_eq!(count(db, f.a).await.unwrap(), 2);
        assert_eq!(count(db, f.b).await.unwrap(), 0);
    });

    async fn name_keys(db: &Db) -> Result<Vec<(String, Option<String>)>, StoreError> {
        Ok(on_db!(db, pool => {
            sqlx::query_as("SELECT full_name, name_key FROM people ORDER BY id").fetch_all(pool).await?
        }))
    }

    // Every write of a name writes its sort key; people from before the key
    // existed get theirs at start (`Db::migrate`), once.
    crate::db_test!(async fn every_name_has_its_sort_key(db) {
        let f = two_institutions(db).await;
        let mut tx = db.begin_write().await.unwrap();
        let sanne = create(&mut tx, &person("Sanne de Vries", None, Some(f.a)), at(2026, 8, 15)).await.unwrap();
        let noor = create(&mut tx, &person("Noor Bakker", None, Some(f.a)), at(2026, 8, 16)).await.unwrap();
        let change = PersonForUpdate { full_name: Name::parse("Émile Jansen").unwrap(), email: None };
        update(&mut tx, f.a, sanne, &change, at(2026, 9, 1)).await.unwrap();
        rename(&mut tx, noor, &Name::parse("Özlem Yıldız").unwrap()).await.unwrap();
        tx.commit().await.unwrap();
        let written = name_keys(db).await.unwrap();
        for (name, key) in &written {
            assert_eq!(key.as_deref(), Some(name_key(name).as_str()), "{name}");
        }
        assert!(written.contains(&("Özlem Yıldız".to_owned(), Some("ozlem yildiz".to_owned()))));

        crate::testing::execute(db, "UPDATE people SET name_key = NULL").await.unwrap();
        db.migrate().await.unwrap();
        assert_eq!(name_keys(db).await.unwrap(), written);
        assert_eq!(fill_name_keys(db).await.unwrap(), 0, "nothing left to fill");
    });

    crate::db_test!(async fn email_is_unique_but_may_be_missing_for_many(db) {
        let mut tx = db.begin_write().await.unwrap();
        create(&mut tx, &person("A", None, None), at(2026, 8, 15)).await.unwrap();
        create(&mut tx, &person("B", None, None), at(2026, 8, 15)).await.unwrap();
        create(&mut tx, &person("C", Some("c@x.nl"), None), at(2026, 8, 15)).await.unwrap();
        let err = create(&mut tx, &person("D", Some("C@X.nl"), None), at(2026, 8, 15)).await.unwrap_err();
        assert!(err.is_conflict_on("people_email_key"), "{err:?}");
    });

    crate::db_test!(async fn list_searches_filters_and_pages_within_the_institution(db) {
        let f = crate::testing::people_fixture(db).await;
        let names = |items: Vec<PersonListItem>| items.into_iter().map(|i| i.full_name).collect::<Vec<_>>();

        let all = list(db, f.a, &PeopleFilter::default(), 50, 0).await.unwrap();
        assert_eq!(names(all.clone()), ["Anna Coördinator", "Bram Mentor", "Çiğdem Öztürk", "Daan Teamleider"]);
        let bram = all.iter().find(|p| p.full_name == "Bram Mentor").unwrap();
        assert_eq!(bram.roles, [(Role::Mentor, Some(f.team_a))]);
        assert_eq!(bram.status, AccountStatus::Invited);

        let search = |q: &str| PeopleFilter { query: Some(q.into()), ..Default::default() };
        assert_eq!(names(list(db, f.a, &search("OZTURK"), 50, 0).await.unwrap()), ["Çiğdem Öztürk"]);
        assert_eq!(names(list(db, f.a, &search("cigdem"), 50, 0).await.unwrap()), ["Çiğdem Öztürk"]);
        assert_eq!(names(list(db, f.a, &search("%"), 50, 0).await.unwrap()), Vec::<String>::new());
        assert_eq!(names(list(db, f.a, &search("@lindenhaghe.nl"), 50, 1).await.unwrap()).len(), 3);

        let role = PeopleFilter { role: Some(Role::Starter), ..Default::default() };
        assert_eq!(names(list(db, f.a, &role, 50, 0).await.unwrap()), ["Çiğdem Öztürk"]);
        let team = PeopleFilter { team: Some(f.team_a), ..Default::default() };
        assert_eq!(names(list(db, f.a, &team, 50, 0).await.unwrap()), ["Bram Mentor", "Çiğdem Öztürk", "Daan Teamleider"]);
        assert!(list(db, f.b, &PeopleFilter::default(), 50, 0).await.unwrap().iter().all(|p| p.full_name == "Erik Anders"));
        assert_eq!(names(list(db, f.a, &PeopleFilter::default(), 2, 1).await.unwrap()), ["Bram Mentor", "Çiğdem Öztürk"]);

        // The status filter and the page are applied in the database: a page
        // of the invited holds the invited only, however many others there are.
        let hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";
        let mut tx = db.begin_write().await.unwrap();
        crate::store::accounts::set_password_hash(&mut tx, f.anna, hash, at(2026, 8, 2)).await.unwrap();
        crate::store::accounts::set_deactivated(&mut tx, f.daan, Some(at(2026, 8, 3))).await.unwrap();
        tx.commit().await.unwrap();
        let by_status = |status| PeopleFilter { status: Some(status), ..Default::default() };
        assert_eq!(names(list(db, f.a, &by_status(AccountStatus::Active), 50, 0).await.unwrap()), ["Anna Coördinator"]);
        assert_eq!(names(list(db, f.a, &by_status(AccountStatus::Deactivated), 50, 0).await.unwrap()), ["Daan Teamleider"]);
        assert_eq!(names(list(db, f.a, &by_status(AccountStatus::Invited), 50, 0).await.unwrap()), ["Bram Mentor", "Çiğdem Öztürk"]);
        assert_eq!(names(list(db, f.a, &by_status(AccountStatus::Invited), 1, 1).await.unwrap()), ["Çiğdem Öztürk"]);
        let page = list(db, f.a, &by_status(AccountStatus::Invited), 1, 0).await.unwrap();
        assert_eq!(page[0].roles, [(Role::Mentor, Some(f.team_a))], "roles come with the page");
    });
}
