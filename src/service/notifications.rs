//! Notifications: created when something happens that a person should act
//! on (a conversation summary to read, a request to talk) and by a
//! clock-driven sweep (a check-in or an action falls due). Each happens
//! once, guarded by its dedupe key, however often or on however many nodes
//! the sweep runs. The list is the person's own; nobody else reads it.

use std::collections::HashMap;

use chrono::{DateTime, Days, NaiveDate, Utc};

use super::{Ctx, ServiceError};
use crate::domain::checkin::next_due;
use crate::domain::notification::{
    ACTION_DUE_GRACE_DAYS, EmailStatus, NotificationKind, NotificationView, Notifications, dedupe_key,
};
use crate::domain::time::today;
use crate::domain::{InstitutionId, PersonId, PersonRef, Role};
use crate::store::notifications::{self as store, NewNotification};
use crate::store::{Db, Tx, people};

/// How many notifications the list shows.
const LIST_LIMIT: i64 = 50;

/// Notify `person` once per `subject` (inside the caller's transaction).
#[expect(
    clippy::too_many_arguments,
    reason = "a notification's columns, each named at the call site"
)]
pub(crate) async fn notify(
    tx: &mut Tx,
    now: DateTime<Utc>,
    person: PersonId,
    institution: InstitutionId,
    kind: NotificationKind,
    about: Option<PersonId>,
    on: Option<NaiveDate>,
    subject: &str,
) -> Result<bool, ServiceError> {
    let new = NewNotification {
        person,
        institution: Some(institution),
        kind,
        about,
        on,
        dedupe_key: dedupe_key(kind, person.0, subject),
    };
    Ok(store::insert(tx, &new, now).await?)
}

/// The caller's notifications, newest first; opening the list marks them
/// read (each entry still says whether it was new). `email_on` tells
/// whether this server sends e-mail.
#[tracing::instrument(skip_all, fields(actor = ctx.person.0))]
pub async fn list(db: &Db, now: DateTime<Utc>, ctx: &Ctx, email_on: bool) -> Result<Notifications, ServiceError> {
    let stored = store::of_person(db, ctx.person, LIST_LIMIT).await?;
    // Only the names the list mentions (never the whole institution's).
    let mut about: Vec<PersonId> = stored.iter().filter_map(|n| n.about).collect();
    about.sort();
    about.dedup();
    let names: HashMap<PersonId, String> = match ctx.institution {
        Some(institution) => people::names_of(db, institution, &about).await?.into_iter().collect(),
        None => HashMap::new(),
    };
    let items = stored
        .into_iter()
        .map(|n| NotificationView {
            id: n.id,
            kind: n.kind,
            about: n.about.map(|id| PersonRef {
                id,
                name: names.get(&id).cloned().unwrap_or_default(),
            }),
            on: n.on,
            created_at: n.created_at,
            unread: n.read_at.is_none(),
        })
        .collect::<Vec<_>>();
    if items.iter().any(|n| n.unread) {
        store::mark_all_read(db, ctx.person, now).await?;
    }
    let email = match (email_on, ctx.email.trim()) {
        (false, _) => EmailStatus::Off,
        (true, "") => EmailStatus::NoAddress,
        (true, address) => EmailStatus::To(address.to_owned()),
    };
    Ok(Notifications {
        items,
        email,
        is_starter: ctx.has(Role::Starter),
    })
}

/// What one sweep created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SweepReport {
    pub checkins_due: usize,
    pub actions_due: usize,
}

/// Create the clock-driven notifications for `now`: a check-in that is due
/// (once per due date, so a starter who does not check in is reminded once,
/// not every day) and an open action that is due (once per action, within
/// [`ACTION_DUE_GRACE_DAYS`] of its date). Safe to run at any interval and
/// on several nodes at once.
#[tracing::instrument(skip_all)]
pub async fn sweep(db: &Db, now: DateTime<Utc>) -> Result<SweepReport, ServiceError> {
    let day = today(now);
    let mut report = SweepReport::default();
    let duties = store::checkin_duties(db, day).await?;
    let actions = store::due_actions(
        db,
        day.checked_sub_days(Days::new(ACTION_DUE_GRACE_DAYS)).unwrap_or(day),
        day,
    )
    .await?;
    let mut tx = db.begin_write().await?;
    for duty in duties {
        let rhythm = u16::try_from(duty.rhythm_days).unwrap_or(14);
        let due = next_due(duty.last_checkin, duty.first_start, rhythm);
        if due > day {
            continue;
        }
        let subject = due.to_string();
        if notify(
            &mut tx,
            now,
            duty.starter,
            duty.institution,
            NotificationKind::CheckInDue,
            None,
            Some(due),
            &subject,
        )
        .await?
        {
            report.checkins_due += 1;
        }
    }
    for action in actions {
        let (owner, about) = if action.owner_is_starter {
            (action.starter, action.mentor)
        } else {
            (action.mentor, action.starter)
        };
        let subject = action.id.to_string();
        let kind = NotificationKind::ActionDue;
        if notify(
            &mut tx,
            now,
            owner,
            action.institution,
            kind,
            Some(about),
            Some(action.due_on),
            &subject,
        )
        .await?
        {
            report.actions_due += 1;
        }
    }
    tx.commit().await?;
    Ok(report)
}

#[cfg(test)]
mod tests;
