//! Serde values to and from plain JavaScript values, through the browser's JSON.

use js_sys::JSON;
use serde_json::Value;
use wasm_bindgen::JsValue;

/// A serde value as a plain JavaScript value.
pub fn to_js(value: &impl serde::Serialize) -> Option<JsValue> {
    let text = serde_json::to_string(value).ok()?;
    JSON::parse(&text).ok()
}

/// A plain JavaScript value as JSON (`undefined` and functions become `None`).
pub fn from_js(value: &JsValue) -> Option<Value> {
    let text = JSON::stringify(value).ok()?.as_string()?;
    serde_json::from_str(&text).ok()
}
