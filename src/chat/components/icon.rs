//! Decorative icons: one SVG path in a 24×24 view box, hidden from assistive technology (the
//! control carrying the icon has the accessible name). The paths are in `theme`.

use leptos::prelude::*;

/// `path` drawn `size` pixels square in the current text colour.
#[component]
pub fn Icon(path: &'static str, size: u32) -> impl IntoView {
    view! {
        <svg viewBox="0 0 24 24" width=size height=size aria-hidden="true" focusable="false">
            <path fill="currentColor" d=path />
        </svg>
    }
}
