//! Dropout signals: the watch list, acting on an alert, and the rules as
//! the institution set them.

use houvast::domain::alerts::{AlertView, RulesInfo, WatchList};
use leptos::prelude::*;

use crate::AppError;

/// The caller's watch list: `show` is `now` (the default: who needs
/// attention now) or `all`, filtered by `team` (an id, or empty) and `level`
/// (amber | red, or empty), one page (`page`, from 0) of `WATCH_PAGE` rows:
/// the page with `alert` when one was just acted on.
#[server(prefix = "/api", endpoint = "signals/watch-list")]
pub async fn load_watch_list(
    show: String,
    team: String,
    level: String,
    page: String,
    alert: Option<i64>,
) -> Result<WatchList, AppError> {
    use houvast::domain::TeamId;
    use houvast::domain::alerts::{WATCH_PAGE, WatchShow};
    use houvast::domain::signals::Severity;

    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        let team = team.trim().parse::<i64>().ok().map(TeamId);
        let level = Severity::from_code(level.trim());
        let show = WatchShow::from_code(show.trim()).unwrap_or(WatchShow::Now);
        // Pages count from 0, as on the other paged lists.
        let first = page.trim().parse::<usize>().unwrap_or(0).saturating_mul(WATCH_PAGE);
        Ok(houvast::service::signals::watch_list_page(
            &app.db,
            app.now(),
            ctx,
            team,
            level,
            show,
            first,
            WATCH_PAGE,
            alert,
        )
        .await?)
    })
    .await
}

/// Acknowledge (`acknowledge`), resolve (`resolve`) or snooze (`snooze`,
/// until a date) an alert, with a note.
#[server(prefix = "/api", endpoint = "signals/alert")]
pub async fn handle_alert(
    alert: i64,
    step: String,
    note: String,
    until: Option<String>,
    team: Option<String>,
    level: Option<String>,
) -> Result<(), AppError> {
    use houvast::domain::FieldProblem;
    use houvast::domain::alerts::AlertCommand;

    use crate::ssr;
    ssr::limit("note", &note, 2000)?;
    ssr::serve(async |ssr::Call { app, ctx }| {
        let command = match step.as_str() {
            "acknowledge" => AlertCommand::Acknowledge { note },
            "resolve" => AlertCommand::Resolve { note },
            "snooze" => {
                let until = until.as_deref().unwrap_or("").trim();
                let Ok(until) = chrono::NaiveDate::parse_from_str(until, "%Y-%m-%d") else {
                    return Err(ssr::invalid("until", FieldProblem::Format));
                };
                AlertCommand::Snooze { until, note }
            }
            _ => return Err(ssr::invalid("step", FieldProblem::UnknownChoice)),
        };
        houvast::service::signals::act(&app.db, app.now(), ctx, alert, command).await?;
        // Back to the whole list, filtered as it was: the handled alert has
        // left the default view, and the person sees its new state and history.
        let mut back = format!("/watch-list?show=all&done={step}&alert={alert}");
        for (name, value) in [("team", team), ("level", level)] {
            if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
                ssr::limit(name, &value, 20)?;
                back.push_str(&format!("&{name}={}", query_safe(value.trim())));
            }
        }
        back.push_str(&format!("#alert-{alert}"));
        ssr::form_redirect(&back);
        Ok(())
    })
    .await
}

/// A filter value made safe for a query string: only letters, digits and
/// `-` survive (team ids and level codes need no more).
#[cfg(feature = "ssr")]
fn query_safe(value: &str) -> String {
    value
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

/// A starter's alerts with their history (their timeline).
#[server(prefix = "/api", endpoint = "signals/starter-alerts")]
pub async fn load_starter_alerts(id: i64) -> Result<Vec<AlertView>, AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        Ok(houvast::service::signals::starter_alerts(&app.db, app.now(), ctx, houvast::domain::PersonId(id)).await?)
    })
    .await
}

/// The backtest of the caller's institution over a period (coordinators);
/// empty dates mean the last twelve months.
#[server(prefix = "/api", endpoint = "signals/backtest")]
pub async fn load_backtest(
    from: String,
    to: String,
    red: String,
    amber: String,
) -> Result<houvast::domain::backtest::BacktestPage, AppError> {
    use crate::ssr;
    ssr::limit("from", &from, 20)?;
    ssr::limit("to", &to, 20)?;
    ssr::limit("red", &red, 8)?;
    ssr::limit("amber", &amber, 8)?;
    ssr::serve(async |ssr::Call { app, ctx }| {
        let page = houvast::service::backtest::page(&app.db, app.now(), ctx, (&from, &to), (&red, &amber)).await?;
        Ok(page)
    })
    .await
}

/// Adopt the calibrated risk with the chosen red and amber thresholds (per
/// mille; coordinator), then back to the backtest page.
#[server(prefix = "/api", endpoint = "signals/risk/adopt")]
pub async fn adopt_risk(from: String, to: String, red: String, amber: String) -> Result<(), AppError> {
    use crate::ssr;
    ssr::limit("from", &from, 20)?;
    ssr::limit("to", &to, 20)?;
    ssr::limit("red", &red, 8)?;
    ssr::limit("amber", &amber, 8)?;
    ssr::serve(async |ssr::Call { app, ctx }| {
        houvast::service::backtest::adopt(&app.db, app.now(), ctx, &red, &amber).await?;
        ssr::form_redirect(&crate::paths::backtest_adopted(&from, &to));
        Ok(())
    })
    .await
}

/// Stop using the calibrated risk: the fixed rules decide again (coordinator).
#[server(prefix = "/api", endpoint = "signals/risk/stop")]
pub async fn stop_risk() -> Result<(), AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        houvast::service::backtest::stop(&app.db, app.now(), ctx).await?;
        ssr::form_redirect("/signals/backtest?stopped=1");
        Ok(())
    })
    .await
}

/// The rules and thresholds of the caller's institution.
#[server(prefix = "/api", endpoint = "signals/rules")]
pub async fn load_signal_rules() -> Result<RulesInfo, AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        Ok(houvast::service::signals::institution_rules(&app.db, app.now(), ctx).await?)
    })
    .await
}

/// The coordinator's settings page; `form` holds the values being tried
/// (a preview), or nothing for the current settings.
#[server(prefix = "/api", endpoint = "signals/settings")]
pub async fn load_signal_settings(
    form: Option<std::collections::HashMap<String, String>>,
) -> Result<houvast::domain::alerts::SettingsPage, AppError> {
    use crate::ssr;
    if let Some(form) = &form {
        for value in form.values() {
            ssr::limit("settings", value, 20)?;
        }
    }
    ssr::serve(async |ssr::Call { app, ctx }| {
        Ok(houvast::service::signals::settings_page(&app.db, app.now(), ctx, form.as_ref()).await?)
    })
    .await
}

/// Save the thresholds and switched-off rules (coordinator).
#[server(prefix = "/api", endpoint = "signals/settings/save")]
pub async fn save_signal_settings(s: std::collections::HashMap<String, String>) -> Result<(), AppError> {
    use crate::ssr;
    for value in s.values() {
        ssr::limit("settings", value, 20)?;
    }
    ssr::serve(async |ssr::Call { app, ctx }| {
        houvast::service::signals::save_settings_form(&app.db, app.now(), ctx, &s).await?;
        ssr::form_redirect("/signals/settings?saved=1");
        Ok(())
    })
    .await
}

/// Add a holiday period (coordinator).
#[server(prefix = "/api", endpoint = "signals/holidays/add")]
pub async fn add_signal_holiday(name: String, start: String, end: String) -> Result<(), AppError> {
    use crate::ssr;
    ssr::limit("name", &name, 200)?;
    ssr::serve(async |ssr::Call { app, ctx }| {
        houvast::service::signals::add_holiday(&app.db, app.now(), ctx, &name, &start, &end).await?;
        ssr::form_redirect("/signals/settings?saved=holiday#holidays");
        Ok(())
    })
    .await
}

/// Remove a holiday period (coordinator).
#[server(prefix = "/api", endpoint = "signals/holidays/remove")]
pub async fn remove_signal_holiday(id: i64) -> Result<(), AppError> {
    use crate::ssr;
    ssr::serve(async |ssr::Call { app, ctx }| {
        houvast::service::signals::remove_holiday(&app.db, app.now(), ctx, id).await?;
        ssr::form_redirect("/signals/settings?saved=holiday#holidays");
        Ok(())
    })
    .await
}
