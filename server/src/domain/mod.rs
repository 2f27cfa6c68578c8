//! Domain values parsed once from untrusted input: ids, roles, account fields, event names and topics.

pub mod account;
pub mod event_name;
pub mod ids;
pub mod role;
pub mod topic;
