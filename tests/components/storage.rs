//! The widget's values as the loader keeps them: the snapshot per project and area, other tabs'
//! changes, and locks that wait for the loader.

use std::cell::Cell;
use std::rc::Rc;

use tiledesk_protocol::bridge::StorageArea;
use tiledesk_widget::core::settings::Persistence;
use wasm_bindgen::JsValue;

use super::support::*;

fn snapshot() -> HostStorage {
    let mut storage = HostStorage::default();
    storage.local.insert(
        "widget_sv5_p_recipientId".into(),
        "support-group-p-1".into(),
    );
    storage.local.insert(
        "widget_sv5_q_recipientId".into(),
        "support-group-q-1".into(),
    );
    storage
        .session
        .insert("widget_sv5_p_isOpen".into(), "true".into());
    storage
}

fn host() -> Keeper {
    Keeper::Host {
        origin: "https://shop.example".into(),
    }
}

#[wasm_bindgen_test]
fn each_project_and_persistence_sees_its_own_values() {
    let storage = Storage::new(host(), &snapshot(), "t");
    let local = storage.project("p", Persistence::Local);
    assert_eq!(
        local.get("recipientId").as_deref(),
        Some("support-group-p-1")
    );
    assert_eq!(local.get("isOpen"), None);
    let session = storage.project("p", Persistence::Session);
    assert_eq!(session.get("isOpen").as_deref(), Some("true"));
    assert_eq!(session.get("recipientId"), None);
    let none = storage.project("p", Persistence::None);
    assert_eq!(
        none.get("recipientId"),
        None,
        "persistence none reads nothing stored"
    );
    none.set("recipientId", "support-group-p-2");
    assert_eq!(
        none.get("recipientId").as_deref(),
        Some("support-group-p-2")
    );
    assert_eq!(
        local.get("recipientId").as_deref(),
        Some("support-group-p-1"),
        "and keeps its values apart"
    );
    local.clear();
    assert_eq!(local.get("recipientId"), None);
    assert_eq!(
        storage
            .project("q", Persistence::Local)
            .get("recipientId")
            .as_deref(),
        Some("support-group-q-1"),
        "clearing one project leaves the others"
    );
}

#[wasm_bindgen_test]
fn other_tabs_changes_are_named_for_the_project_they_concern() {
    let storage = Storage::new(host(), &snapshot(), "t");
    let store = storage.project("p", Persistence::Local);
    assert_eq!(
        store.changed_elsewhere(StorageArea::Local, "widget_sv5_p_outbox", Some("[]".into())),
        Some("outbox")
    );
    assert_eq!(store.get("outbox").as_deref(), Some("[]"));
    assert_eq!(
        store.changed_elsewhere(StorageArea::Local, "widget_sv5_q_outbox", Some("[]".into())),
        None,
        "another project's"
    );
    assert_eq!(
        store.changed_elsewhere(StorageArea::Session, "widget_sv5_p_outbox", None),
        None,
        "another area's"
    );
    assert_eq!(
        store.changed_elsewhere(StorageArea::Local, "widget_sv5_p_recipientId", None),
        Some("recipientId")
    );
    assert_eq!(store.get("recipientId"), None, "a removal");
}

#[wasm_bindgen_test]
async fn another_tabs_values_are_ours_once_its_loader_lets_its_lock_go() {
    let storage = Storage::new(host(), &snapshot(), "mine");
    let store = storage.project("p", Persistence::Local);
    assert_eq!(store.tab(), "mine");
    let session = storage.project("p", Persistence::Session);
    drop(session.after_tab("gone", "outbox_gone").await);

    store.set("outbox_gone", "[\"as this tab last saw it\"]");
    let held = Rc::new(Cell::new(false));
    let task = {
        let (store, held) = (store.clone(), held.clone());
        wasm_bindgen_futures::future_to_promise(async move {
            let _guard = store.after_tab("gone", "outbox_gone").await;
            held.set(true);
            Ok(JsValue::NULL)
        })
    };
    tick().await;
    assert!(!held.get(), "not while the other tab lives");
    store.granted("widget_sv5_tab_gone", None);
    wasm_bindgen_futures::JsFuture::from(task).await.unwrap();
    assert!(held.get());
    assert_eq!(
        store.get("outbox_gone").as_deref(),
        Some("[\"as this tab last saw it\"]"),
        "storage that failed leaves this copy as it was"
    );

    let again = {
        let store = store.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            let _guard = store.after_tab("gone", "outbox_gone").await;
            Ok(JsValue::NULL)
        })
    };
    tick().await;
    store.granted("widget_sv5_tab_gone", Some(Some("[\"as it is\"]".into())));
    wasm_bindgen_futures::JsFuture::from(again).await.unwrap();
    assert_eq!(
        store.get("outbox_gone").as_deref(),
        Some("[\"as it is\"]"),
        "a grant brings the value as the site's storage has it"
    );
    let mut names = store.names_starting("outbox_");
    names.sort();
    assert_eq!(names, vec!["outbox_gone".to_owned()]);
}

#[wasm_bindgen_test]
fn storage_messages_are_the_protocols() {
    use tiledesk_protocol::bridge::{Envelope, WidgetToHost};
    use tiledesk_widget::platform::json::from_js;
    use tiledesk_widget::platform::storage::storage_message;
    for message in [
        WidgetToHost::Store {
            area: StorageArea::Session,
            key: "widget_sv5_p_isOpen".into(),
            value: Some("true".into()),
        },
        WidgetToHost::Store {
            area: StorageArea::Local,
            key: "widget_sv5_p_x".into(),
            value: None,
        },
        WidgetToHost::Lock {
            name: "widget_sv5_tab_t".into(),
            area: StorageArea::Local,
            key: "widget_sv5_p_outbox_t".into(),
        },
        WidgetToHost::Unlock {
            name: "widget_sv5_tab_t".into(),
        },
    ] {
        let by_hand = from_js(&storage_message(&message)).unwrap();
        let by_serde = serde_json::to_value(Envelope::new(message)).unwrap();
        assert_eq!(by_hand, by_serde);
    }
}
