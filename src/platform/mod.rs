//! Browser glue both wasm modules use: storage, the embedding page, serde values as JavaScript
//! values, the visitor's languages and the console.

pub mod browser;
pub mod embedding;
pub mod json;
pub mod storage;
