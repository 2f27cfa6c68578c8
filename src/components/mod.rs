//! The widget's views, one small component per concern.

mod app;
mod composer;
mod launcher;
mod message_list;
mod panel;

pub use app::App;
