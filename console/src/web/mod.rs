//! The browser part of the console: REST calls, the live socket, storage, alerts, state, views.

pub mod alert;
pub mod api;
pub mod live;
pub mod state;
pub mod storage;
pub mod views;

/// Mounts the console on the page's body.
pub fn mount() {
    leptos::mount::mount_to_body(views::App);
}
