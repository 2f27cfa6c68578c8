//! Pure logic of the widget, free of the browser: compiled for every target and tested natively.

pub mod commands;
pub mod contrast;
pub mod conversation;
pub mod emoji;
pub mod events;
pub mod handover;
pub mod i18n;
pub mod info;
pub mod labels;
pub mod live_policy;
pub mod message_window;
pub mod outbox;
pub mod prechat;
pub mod rules;
pub mod server_events;
pub mod settings;
pub mod sources;
pub mod storage_keys;
pub mod theme;
pub mod transcript;
pub mod typing;
