//! Browser entry point: makes the islands of a server-rendered page
//! interactive. Everything else on a page is plain HTML and stays so.

use wasm_bindgen::prelude::wasm_bindgen;

/// Links the app crate, whose `#[island]`s export one hydration function
/// each; the page's loader calls `hydrate`, then those.
pub use houvast_app::islands;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
