//! Pure logic of the console, free of the browser: compiled for every target and tested natively.

pub mod inbox;
pub mod media;
pub mod receipts;
pub mod replies;
pub mod typing;
pub mod visitor;
