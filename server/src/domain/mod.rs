//! Domain values parsed once from untrusted input: ids, roles, account fields, bot rules, event
//! names, operating hours, topics, request tags, label languages, webhook targets and uploads.

pub mod account;
pub mod bot_rules;
pub mod event_name;
pub mod ids;
pub mod operating_hours;
pub mod role;
pub mod topic;
pub mod upload;
pub mod webhook_target;
