//! Browser glue both wasm modules use: storage, the embedding page, the visitor's languages and the console.

pub mod browser;
pub mod embedding;
pub mod storage;
