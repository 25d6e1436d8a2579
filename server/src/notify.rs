//! The notification job: every few minutes, create the clock-driven
//! notifications (due check-ins and actions) and, when SMTP is configured,
//! send the new ones by e-mail. Every step is idempotent and claimed row by
//! row in the database, so it runs the same on one node or on several.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use houvast::clock::Clock;
use houvast::domain::notification::EMAIL_MAX_AGE_HOURS;
use houvast::store::Db;
use houvast::store::notifications as store;
use houvast_app::ssr::mail::{OutgoingMail, SendMail, compose};
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncTransport, Message, Tokio1Executor};

/// Where e-mail goes: a transport and the sender.
#[derive(Clone)]
pub struct Mailer<T> {
    pub transport: T,
    pub from: Mailbox,
}

impl<T> std::fmt::Debug for Mailer<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

/// Account links are sent at once, not through the notification queue:
/// the link exists only in the mail (the database keeps its hash).
impl<T> SendMail for Mailer<T>
where
    T: AsyncTransport + Send + Sync + 'static,
    T::Error: std::fmt::Display,
{
    fn send(&self, mail: OutgoingMail) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + '_>> {
        Box::pin(async move {
            let address: lettre::Address = mail.to_address.parse().map_err(|e| format!("bad address: {e}"))?;
            let message = Message::builder()
                .from(self.from.clone())
                .to(Mailbox::new(Some(mail.to_name), address))
                .subject(mail.subject)
                .header(ContentType::TEXT_PLAIN)
                .body(mail.body)
                .map_err(|e| e.to_string())?;
            let sent = self.transport.send(message).await.map(drop).map_err(|e| e.to_string());
            crate::metrics::emails("link", if sent.is_ok() { "sent" } else { "failed" }, 1);
            sent
        })
    }
}

/// The SMTP mailer from `HOUVAST_SMTP_URL` and `HOUVAST_MAIL_FROM`.
pub fn smtp_mailer(url: &str, from: &str) -> anyhow::Result<Mailer<AsyncSmtpTransport<Tokio1Executor>>> {
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .context("HOUVAST_SMTP_URL is not a valid smtp:// or smtps:// address")?
        .build();
    let from = from.parse().context("HOUVAST_MAIL_FROM is not a valid address")?;
    Ok(Mailer { transport, from })
}

/// What one delivery round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    pub sent: usize,
    pub failed: usize,
    pub skipped: usize,
}

/// Send every notification of the last [`EMAIL_MAX_AGE_HOURS`] that has not
/// been e-mailed yet, each once: a row is claimed before it is sent, so a
/// second node (or a second run) leaves it alone. Older ones are marked
/// skipped, so switching e-mail on does not send a backlog.
pub async fn deliver<T>(
    db: &Db,
    clock: &dyn Clock,
    mailer: &Mailer<T>,
    public_url: &str,
) -> anyhow::Result<DeliveryReport>
where
    T: AsyncTransport + Sync,
    T::Error: std::fmt::Display,
{
    let now = clock.now();
    let oldest = now - chrono::Duration::hours(EMAIL_MAX_AGE_HOURS);
    store::skip_old_emails(db, oldest).await?;
    let mut report = DeliveryReport::default();
    for pending in store::pending_emails(db, oldest, 500).await? {
        if !store::claim_email(db, pending.id, now).await? {
            continue;
        }
        let to = pending
            .email
            .as_deref()
            .and_then(|address| address.parse::<lettre::Address>().ok())
            .map(|address| Mailbox::new(Some(pending.name.clone()), address));
        let Some(to) = to else {
            store::finish_email(db, pending.id, "skipped", clock.now()).await?;
            crate::metrics::emails("notification", "skipped", 1);
            report.skipped += 1;
            continue;
        };
        let text = compose(&pending, public_url);
        let message = Message::builder()
            .from(mailer.from.clone())
            .to(to)
            .subject(text.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(text.body)
            .context("cannot build a notification e-mail")?;
        // Only a `String` of the error is kept across the next await.
        let outcome = mailer
            .transport
            .send(message)
            .await
            .map(drop)
            .map_err(|e| e.to_string());
        match outcome {
            Ok(()) => {
                store::finish_email(db, pending.id, "sent", clock.now()).await?;
                crate::metrics::emails("notification", "sent", 1);
                report.sent += 1;
            }
            Err(err) => {
                tracing::warn!(notification = pending.id, error = %err, "could not send notification e-mail");
                store::finish_email(db, pending.id, "failed", clock.now()).await?;
                crate::metrics::emails("notification", "failed", 1);
                report.failed += 1;
            }
        }
    }
    Ok(report)
}

/// Run the job now and then every `every`, for the life of the process.
pub fn spawn<T>(db: Db, clock: Arc<dyn Clock>, mailer: Option<Mailer<T>>, public_url: String, every: Duration)
where
    T: AsyncTransport + Send + Sync + 'static,
    T::Error: std::fmt::Display,
{
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        loop {
            ticks.tick().await;
            // The daily signal evaluation: claimed once per institution and
            // day in the database, so a tick after the first is one insert.
            let daily = houvast::service::signals::daily(&db, clock.now()).await;
            let signals_ok = daily.is_ok();
            match daily {
                Ok(outcomes) => {
                    for (institution, outcome) in outcomes {
                        if let houvast::service::signals::DailyOutcome::Ran(report) = outcome {
                            tracing::info!(
                                institution = institution.0,
                                evaluated = report.evaluated,
                                opened = report.opened,
                                reopened = report.reopened,
                                "signals evaluated"
                            );
                        }
                    }
                }
                Err(err) => tracing::warn!(error = %err, "signal evaluation failed"),
            }
            crate::metrics::job("signals", signals_ok);
            let optimized = db.optimize().await;
            if let Err(err) = &optimized {
                tracing::warn!(error = %err, "updating the query planner's statistics failed");
            }
            crate::metrics::job("planner_statistics", optimized.is_ok());
            // Retention periods: what ran out is erased; a repeat changes nothing.
            let erased = houvast::service::erasure::daily(&db, clock.now()).await;
            crate::metrics::job("erasure", erased.is_ok());
            match erased {
                Ok(report) if report != houvast::service::erasure::ErasureReport::default() => {
                    tracing::info!(
                        erased = report.erased,
                        pseudonymised = report.pseudonymised,
                        audit_events_deleted = report.audit_events_deleted,
                        uploads_deleted = report.uploads_deleted,
                        "retention periods applied"
                    );
                }
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "erasure failed"),
            }
            let sweep = houvast::service::notifications::sweep(&db, clock.now()).await;
            crate::metrics::job("notifications", sweep.is_ok());
            match sweep {
                Ok(report) if report.checkins_due + report.actions_due > 0 => {
                    tracing::info!(
                        checkins_due = report.checkins_due,
                        actions_due = report.actions_due,
                        "notifications created"
                    );
                }
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "notification sweep failed"),
            }
            if let Some(mailer) = &mailer {
                let delivered = deliver(&db, clock.as_ref(), mailer, &public_url).await;
                crate::metrics::job("email", delivered.is_ok());
                match delivered {
                    Ok(report) if report != DeliveryReport::default() => {
                        tracing::info!(
                            sent = report.sent,
                            failed = report.failed,
                            skipped = report.skipped,
                            "notification e-mail"
                        );
                    }
                    Ok(_) => {}
                    Err(err) => tracing::warn!(error = %err, "notification e-mail failed"),
                }
            }
        }
    });
}
