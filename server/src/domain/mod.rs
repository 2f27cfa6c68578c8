//! Domain values parsed once from untrusted input: ids, roles, account fields and topics.

pub mod account;
pub mod ids;
pub mod role;
pub mod topic;
