//! The interactive parts of the pages, and the only code the browser runs.
//!
//! Every page is rendered on the server as plain HTML whose forms post.
//! An island adds what needs the browser: filtering as you type, copying a
//! link, an upload's progress. A page without islands loads no script
//! beyond the small loader in the shell, and no WebAssembly.
//!
//! Islands get what they show as props, translated on the server, so the
//! browser bundle carries no translations. Each island's root element gets
//! `data-hydrated="true"` once the browser has taken it over (tests wait for
//! it; effects run only in the browser).

use houvast::domain::{InstitutionOverview, matches_query};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// `true` once this island runs in the browser.
fn hydrated() -> Signal<bool> {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    hydrated.into()
}

/// `template` with each `{name}` replaced by its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(template.to_owned(), |text, (name, value)| {
        text.replace(&format!("{{{name}}}"), value)
    })
}

/// A button that copies `text` to the clipboard and says so.
#[island]
pub fn CopyButton(text: String, label: String, done: String) -> impl IntoView {
    let is_hydrated = hydrated();
    let copied = RwSignal::new(false);
    let copy = move |_| {
        let _ = window().navigator().clipboard().write_text(&text);
        copied.set(true);
    };
    view! {
        <span class="copy-button" data-hydrated=move || is_hydrated.get().then_some("true")>
            <button type="button" class="button-small" on:click=copy>{label}</button>
            <Show when=move || copied.get()>
                " "
                <span>{done.clone()}</span>
            </Show>
        </span>
    }
}

/// The words of the status page's search, translated on the server.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StatusTexts {
    pub search_label: String,
    pub search_hint: String,
    pub search_button: String,
    /// With `{shown}` and `{total}`.
    pub count: String,
    /// With `{query}`.
    pub no_match: String,
    pub brin: String,
    pub one_team: String,
    /// With `{count}`.
    pub teams: String,
}

/// The institutions of the status page with a search that filters as you
/// type. Without JavaScript the same form submits `?q=` and the server
/// filters.
#[island]
pub fn StatusSearch(list: Vec<InstitutionOverview>, query: String, texts: StatusTexts) -> impl IntoView {
    let is_hydrated = hydrated();
    let filter = RwSignal::new(query);
    let total = list.len().to_string();
    let texts = StoredValue::new(texts);
    let shown =
        Memo::new(move |_| filter.with(|q| list.iter().filter(|i| matches_query(i, q)).cloned().collect::<Vec<_>>()));
    let count = move || {
        let shown = shown.with(Vec::len).to_string();
        texts.with_value(|t| fill(&t.count, &[("shown", &shown), ("total", &total)]))
    };
    let no_match = move || texts.with_value(|t| fill(&t.no_match, &[("query", filter.get().trim())]));
    view! {
        <div class="status-search" data-hydrated=move || is_hydrated.get().then_some("true")>
            <form class="search" method="get" action="/status" role="search" on:submit=|ev| ev.prevent_default()>
                <label for="q">{texts.with_value(|t| t.search_label.clone())}</label>
                <div class="search-row">
                    <input
                        id="q"
                        name="q"
                        type="search"
                        autocomplete="off"
                        maxlength="120"
                        placeholder=texts.with_value(|t| t.search_hint.clone())
                        value=filter.get_untracked()
                        prop:value=move || filter.get()
                        on:input=move |ev| filter.set(event_target_value(&ev))
                    />
                    <button type="submit">{texts.with_value(|t| t.search_button.clone())}</button>
                </div>
            </form>
            <p class="count" role="status" aria-live="polite">{count}</p>
            <Show when=move || shown.with(Vec::is_empty)>
                <div class="empty-state"><p>{no_match}</p></div>
            </Show>
            <ul class="cards">
                <For each=move || shown.get() key=|i| i.id let:institution>
                    <InstitutionCard institution texts=texts.get_value() />
                </For>
            </ul>
        </div>
    }
}

#[component]
fn InstitutionCard(institution: InstitutionOverview, texts: StatusTexts) -> impl IntoView {
    let teams = if institution.team_count == 1 {
        texts.one_team
    } else {
        fill(&texts.teams, &[("count", &institution.team_count.to_string())])
    };
    view! {
        <li class="card">
            <h2>{institution.name}</h2>
            <dl class="facts">
                <div>
                    <dt>{texts.brin}</dt>
                    <dd>{institution.brin_code}</dd>
                </div>
                <div>
                    <dt class="visually-hidden">"Teams"</dt>
                    <dd>{teams}</dd>
                </div>
            </dl>
        </li>
    }
}

/// The words of the upload's progress, translated on the server.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UploadTexts {
    pub button: String,
    pub uploading: String,
    /// With `{percent}`.
    pub sending: String,
    pub checking: String,
}

/// The HR file upload: with JavaScript it shows how much of the file is
/// sent, then opens the page the server answers with (the check). Without
/// JavaScript the form posts as usual. `children` are the form's fields.
#[island]
pub fn UploadForm(action: String, texts: UploadTexts, children: Children) -> impl IntoView {
    let is_hydrated = hydrated();
    // Percent of the file sent so far, while an upload runs.
    let progress = RwSignal::new(None::<u32>);
    let texts = StoredValue::new(texts);
    view! {
        <form
            method="post"
            action=action
            enctype="multipart/form-data"
            class="stack"
            data-hydrated=move || is_hydrated.get().then_some("true")
            on:submit=move |ev| upload_with_progress(ev, progress)
        >
            {children()}
            <button type="submit" disabled=move || progress.get().is_some()>{texts.with_value(|t| t.button.clone())}</button>
            {move || progress.get().map(|percent| texts.with_value(|t| view! {
                <div class="progress" role="status">
                    <progress max="100" value=percent aria-label=t.uploading.clone()>{percent} "%"</progress>
                    <span>
                        {if percent < 100 { fill(&t.sending, &[("percent", &percent.to_string())]) } else { t.checking.clone() }}
                    </span>
                </div>
            }))}
        </form>
    }
}

/// Sends the form with a request whose upload progress shows, then opens
/// the page the server answered with.
#[allow(unused_variables)]
fn upload_with_progress(ev: leptos::ev::SubmitEvent, progress: RwSignal<Option<u32>>) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        use leptos::wasm_bindgen::closure::Closure;
        use leptos::web_sys::{FormData, HtmlFormElement, ProgressEvent, XmlHttpRequest};

        let Some(form) = ev.target().and_then(|t| t.dyn_into::<HtmlFormElement>().ok()) else {
            return;
        };
        let (Ok(data), Ok(request)) = (FormData::new_with_form(&form), XmlHttpRequest::new()) else {
            return;
        };
        if request.open("POST", &form.action()).is_err() {
            return;
        }
        ev.prevent_default();
        progress.set(Some(0));
        if let Ok(upload) = request.upload() {
            let on_progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
                if e.length_computable() && e.total() > 0.0 {
                    progress.set(Some(((e.loaded() / e.total()) * 100.0).min(100.0) as u32));
                }
            });
            upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
            on_progress.forget();
        }
        let done = request.clone();
        let on_done = Closure::<dyn FnMut()>::new(move || {
            let answered = done.response_url();
            let target = if answered.is_empty() {
                "/import".to_owned()
            } else {
                answered
            };
            let _ = window().location().set_href(&target);
        });
        request.set_onloadend(Some(on_done.as_ref().unchecked_ref()));
        on_done.forget();
        if request.send_with_opt_form_data(Some(&data)).is_err() {
            progress.set(None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn fill_replaces_every_named_placeholder() {
        assert_eq!(
            fill("{shown} van {total} instellingen", &[("shown", "1"), ("total", "2")]),
            "1 van 2 instellingen"
        );
        assert_eq!(fill("Geen ‘{query}’", &[("query", "{shown}")]), "Geen ‘{shown}’");
    }
}
