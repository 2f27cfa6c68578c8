//! The full chat's views, one small component per concern.

mod app;
mod attachment;
mod buttons;
mod closed;
mod composer;
mod departments;
mod emoji;
mod header;
mod home;
mod icon;
mod launcher;
mod message;
mod message_body;
mod message_list;
mod options_menu;
mod panel;
mod powered_by;
mod pre_chat_form;
mod recorder;
mod sources;
mod typing;
mod web_page;
mod welcome;

pub use app::App;
