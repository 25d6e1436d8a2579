//! Form building blocks: labelled fields that show their error in words,
//! linked for screen readers, and the translations of field problems.

use houvast::domain::FieldProblem;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

use crate::AppError;
use crate::i18n::*;

/// The translated sentence for a field problem.
pub fn problem_text(i18n: I18nContext<Locale>, problem: FieldProblem) -> String {
    match problem {
        FieldProblem::Required => t_string!(i18n, problem_required).to_string(),
        FieldProblem::TooShort { min } => t_string!(i18n, problem_too_short, min = min).to_string(),
        FieldProblem::TooLong { max } => t_string!(i18n, problem_too_long, max = max).to_string(),
        FieldProblem::Format => t_string!(i18n, problem_format).to_string(),
        FieldProblem::ControlCharacters => t_string!(i18n, problem_control).to_string(),
        FieldProblem::Taken => t_string!(i18n, problem_taken).to_string(),
        FieldProblem::TooGuessable => t_string!(i18n, problem_guessable).to_string(),
        FieldProblem::WrongPassword => t_string!(i18n, problem_wrong_password).to_string(),
        FieldProblem::Mismatch => t_string!(i18n, problem_mismatch).to_string(),
        FieldProblem::ConfirmationDiffers => t_string!(i18n, problem_confirmation_differs).to_string(),
        FieldProblem::SchoolLoginOnly => t_string!(i18n, problem_school_login_only).to_string(),
        FieldProblem::NoSecretKey => t_string!(i18n, problem_no_secret_key).to_string(),
        FieldProblem::UnknownChoice => t_string!(i18n, problem_choice).to_string(),
        FieldProblem::AmberAboveRed => t_string!(i18n, problem_amber_above_red).to_string(),
        FieldProblem::NoRiskModel => t_string!(i18n, problem_no_risk_model).to_string(),
        FieldProblem::OutOfRange { min, max } => t_string!(i18n, problem_range, min = min, max = max).to_string(),
        FieldProblem::FteRange => t_string!(i18n, problem_fte).to_string(),
        FieldProblem::BeforeStart => t_string!(i18n, problem_before_start).to_string(),
        FieldProblem::UnknownReference => t_string!(i18n, problem_unknown_reference).to_string(),
        FieldProblem::InFuture => t_string!(i18n, problem_in_future).to_string(),
        FieldProblem::TooRecent { months } => t_string!(i18n, problem_too_recent, months = months).to_string(),
        FieldProblem::LeadsStartersTeam => t_string!(i18n, problem_leads_team).to_string(),
        FieldProblem::OwnPairing => t_string!(i18n, problem_own_pairing).to_string(),
        FieldProblem::AddressUnavailable => t_string!(i18n, problem_address_unavailable).to_string(),
        FieldProblem::EmailOnly => t_string!(i18n, problem_email_only).to_string(),
        FieldProblem::AddressUnconfirmed => t_string!(i18n, problem_address_unconfirmed).to_string(),
        FieldProblem::TooLarge { max_bytes } => {
            t_string!(i18n, problem_too_large, megabytes = max_bytes / (1024 * 1024)).to_string()
        }
    }
}

/// The problem an action's last result reports for `field`.
pub fn field_error<T: Send + Sync + 'static>(
    result: MappedSignal<Option<Result<T, AppError>>>,
    field: &'static str,
) -> Signal<Option<FieldProblem>> {
    Signal::derive(move || result.with(|r| r.as_ref().and_then(|r| r.as_ref().err()).and_then(|e| e.field(field))))
}

/// A labelled input with its error message.
#[component]
pub fn Field(
    /// Form field name (also the id, prefixed).
    name: &'static str,
    #[prop(into)] label: Signal<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    #[prop(optional)] required: bool,
    #[prop(default = 200)] maxlength: usize,
    #[prop(into)] error: Signal<Option<FieldProblem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id.clone()>{move || label.get()}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{move || hint.get()}</p> })}
            <input
                id=id.clone()
                name=name
                type=kind
                value=value
                autocomplete=autocomplete
                required=required
                maxlength=maxlength
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described
            />
            <Show when=move || error.get().is_some()>
                <p class="field-error" id=error_id.clone()>
                    {move || error.get().map(|p| problem_text(i18n, p))}
                </p>
            </Show>
        </div>
    }
}

/// A notice after an action succeeded.
#[component]
pub fn Success(#[prop(into)] text: Signal<String>) -> impl IntoView {
    view! {
        <p class="notice notice-success" role="status">
            {move || text.get()}
        </p>
    }
}

/// A form-level error (not tied to one field), if the action failed so.
#[component]
pub fn FormError<T: Send + Sync + 'static>(result: MappedSignal<Option<Result<T, AppError>>>) -> impl IntoView {
    let i18n = use_i18n();
    let message = move || {
        result.with(|r| match r {
            Some(Err(AppError::Invalid(_))) => Some(t_string!(i18n, form_has_errors).to_string()),
            Some(Err(AppError::Forbidden)) => Some(t_string!(i18n, error_forbidden).to_string()),
            Some(Err(AppError::NotFound)) => Some(t_string!(i18n, not_found_body).to_string()),
            Some(Err(AppError::Unauthorized)) => Some(t_string!(i18n, error_unauthorized).to_string()),
            Some(Err(AppError::Internal { reference })) => Some(format!(
                "{} {}: {reference}",
                t_string!(i18n, error_title),
                t_string!(i18n, error_reference)
            )),
            Some(Err(AppError::Transport(_))) => Some(t_string!(i18n, error_network).to_string()),
            _ => None,
        })
    };
    view! {
        <Show when=move || message().is_some()>
            <p class="notice notice-error" role="alert">{message}</p>
        </Show>
    }
}

/// A new password and its repetition (`name` is the new password's field
/// name; the repetition is always `repeat_password`).
#[component]
pub fn NewPasswordFields(
    name: &'static str,
    #[prop(into)] error: Signal<Option<FieldProblem>>,
    #[prop(into)] repeat_error: Signal<Option<FieldProblem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Field
            name=name
            kind="password"
            label=Signal::derive(move || t_string!(i18n, field_new_password).to_string())
            hint=Signal::derive(move || t_string!(i18n, password_hint).to_string())
            autocomplete="new-password"
            required=true
            maxlength=128
            error=error
        />
        <Field
            name="repeat_password"
            kind="password"
            label=Signal::derive(move || t_string!(i18n, field_repeat_password).to_string())
            autocomplete="new-password"
            required=true
            maxlength=128
            error=repeat_error
        />
    }
}
