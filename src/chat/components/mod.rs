//! The full chat's views, one small component per concern.

mod app;
mod composer;
mod departments;
mod home;
mod icon;
mod launcher;
mod message;
mod message_list;
mod panel;
mod pre_chat_form;

pub use app::App;
