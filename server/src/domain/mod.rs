//! Domain values parsed once from untrusted input: ids, roles, account fields, event names,
//! topics and webhook targets.

pub mod account;
pub mod event_name;
pub mod ids;
pub mod role;
pub mod topic;
pub mod webhook_target;
