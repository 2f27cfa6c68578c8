//! Plain JavaScript values without a JSON library: the browser parses, fetches and builds objects.

use js_sys::{Array, Object, Promise, Reflect, JSON};
use serde_json::{Map, Number, Value};
use tiledesk_protocol::bridge::HostStorage;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// A bridge message of this `type`, with its version stamp.
pub(super) fn bridge_message(kind: &str) -> Object {
    let message = Object::new();
    set(&message, "tiledesk", 1);
    set(&message, "type", kind);
    message
}

/// Starts `GET url`: the response, or `undefined` when unreachable (never a rejection, so that
/// a request nobody reads reports nothing).
pub(super) fn start_fetch(url: &str) -> Option<Promise> {
    let ignore = Closure::<dyn FnMut(JsValue)>::new(|_| {});
    let started = web_sys::window()?.fetch_with_str(url).catch(&ignore);
    ignore.forget();
    Some(started)
}

/// `GET url` as parsed JSON; `None` when unreachable, not 2xx or not JSON.
pub(super) async fn fetch_json(url: &str) -> Option<JsValue> {
    read_json(start_fetch(url)?).await
}

/// The JSON of a response `start_fetch` promised; `None` when unreachable, not 2xx or not JSON.
pub(super) async fn read_json(started: Promise) -> Option<JsValue> {
    let response: web_sys::Response = JsFuture::from(started).await.ok()?.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    JsFuture::from(response.json().ok()?).await.ok()
}

/// JSON text parsed by the browser, as a JSON value.
pub(super) fn parse_json(text: &str) -> Option<Value> {
    JSON::parse(text).ok().map(|value| value_of(&value))
}

/// A plain JavaScript value as a JSON value (functions and `undefined` become `null`); whole
/// numbers stay integers.
pub(super) fn value_of(js: &JsValue) -> Value {
    if let Some(flag) = js.as_bool() {
        Value::Bool(flag)
    } else if let Some(number) = js.as_f64() {
        if number.fract() == 0.0 && number.abs() < 9_007_199_254_740_992.0 {
            Value::from(number as i64)
        } else {
            Number::from_f64(number).map_or(Value::Null, Value::Number)
        }
    } else if let Some(text) = js.as_string() {
        Value::String(text)
    } else if Array::is_array(js) {
        Value::Array(Array::from(js).iter().map(|item| value_of(&item)).collect())
    } else if js.is_object() && !js.is_function() {
        let mut map = Map::new();
        for entry in Object::entries(js.unchecked_ref()).iter() {
            let entry = Array::from(&entry);
            if let Some(key) = entry.get(0).as_string() {
                map.insert(key, value_of(&entry.get(1)));
            }
        }
        Value::Object(map)
    } else {
        Value::Null
    }
}

pub(super) fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

pub(super) fn set(target: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(target, &key.into(), &value.into());
}

/// The loader's storage snapshot (`Init.storage`): string values by key, per area.
pub(super) fn host_storage(js: &JsValue) -> HostStorage {
    let area = |name: &str| {
        let Value::Object(values) = value_of(&get(js, name)) else {
            return Default::default();
        };
        values
            .into_iter()
            .filter_map(|(key, value)| match value {
                Value::String(text) => Some((key, text)),
                _ => None,
            })
            .collect()
    };
    HostStorage {
        local: area("local"),
        session: area("session"),
    }
}

/// A JSON value as a plain JavaScript value, built by hand (the shell carries no serializer).
pub(super) fn js_of(value: &Value) -> JsValue {
    match value {
        Value::Null => JsValue::NULL,
        Value::Bool(flag) => JsValue::from_bool(*flag),
        Value::Number(number) => number.as_f64().map_or(JsValue::NULL, JsValue::from_f64),
        Value::String(text) => JsValue::from_str(text),
        Value::Array(items) => items.iter().map(js_of).collect::<Array>().into(),
        Value::Object(fields) => {
            let object = Object::new();
            for (key, field) in fields {
                let _ = Reflect::set(&object, &key.into(), &js_of(field));
            }
            object.into()
        }
    }
}
