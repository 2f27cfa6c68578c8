//! Decorative icons: one SVG path in a 24×24 view box, hidden from assistive technology (the
//! control carrying the icon has the accessible name).

use leptos::prelude::*;

/// The "back" chevron pointing left.
pub const BACK_ICON_PATH: &str = "M15.4 5.4 14 4l-8 8 8 8 1.4-1.4L8.8 12z";
/// The paper plane of the send button.
pub const SEND_ICON_PATH: &str = "M3 20.5 21 12 3 3.5 3 10l12 2-12 2z";
/// A five-pointed star for the rating.
pub const STAR_ICON_PATH: &str =
    "M12 2.5 14.9 8.6 21.5 9.3 16.6 13.8 18 20.3 12 17 6 20.3 7.4 13.8 2.5 9.3 9.1 8.6z";

/// `path` drawn `size` pixels square in the current text colour.
#[component]
pub fn Icon(path: &'static str, size: u32) -> impl IntoView {
    view! {
        <svg viewBox="0 0 24 24" width=size height=size aria-hidden="true" focusable="false">
            <path fill="currentColor" d=path />
        </svg>
    }
}
