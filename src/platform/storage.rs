//! The widget's remembered values. Embedded, they live in the host page's own storage, which the
//! loader keeps for the widget (a cross-site iframe's own storage is blocked or partitioned): the
//! widget starts from the snapshot the loader sends with `Init` and sends every change back.
//! Top-level (a WebView) they live in the widget's own storage. Either way they are read from
//! memory, so storage that fails leaves them there for the page's life.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use futures::channel::oneshot;
use js_sys::{Object, Reflect};
use serde_json::{Map, Value};
use tiledesk_protocol::bridge::{
    tab_lock, HostStorage, StorageArea, WidgetToHost, BRIDGE_VERSION, STORAGE_PREFIX,
};
use wasm_bindgen::JsValue;

use crate::core::settings::Persistence;
use crate::core::storage_keys::storage_key;
use crate::platform::browser::warn;
use crate::platform::embedding::post_to_embedding_page;

/// Who keeps the values between pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Keeper {
    /// The loader, in the storage of the host page at `origin` (`null` for a local file).
    Host { origin: String },
    /// The widget's own window storage (top-level, and in component tests).
    Own,
}

/// Every value the widget keeps, of every project, in each area; shared by the projects' stores.
#[derive(Clone)]
pub struct Storage(Arc<Shared>);

struct Shared {
    keeper: Keeper,
    /// This tab's id: what it alone writes is kept under names ending with it.
    tab: String,
    local: Mutex<HashMap<String, String>>,
    session: Mutex<HashMap<String, String>>,
    /// `persistence: none`: kept for this page only.
    memory: Mutex<HashMap<String, String>>,
    /// Callers waiting for a lock the loader has not granted yet, by lock name, in order, each
    /// with the key whose value the grant brings.
    waiting: Mutex<HashMap<String, VecDeque<Waiting>>>,
}

/// A caller waiting for a lock, and the key whose value its grant brings.
type Waiting = (oneshot::Sender<()>, String);

impl Storage {
    /// The values `keeper` holds: the loader's `snapshot`, or what the widget's own storage has;
    /// `tab` is this tab's id as the loader named it (a new one when it named none).
    pub fn new(keeper: Keeper, snapshot: &HostStorage, tab: &str) -> Self {
        let tab = match tab {
            "" => format!("{:x}", (js_sys::Math::random() * 1e15) as u64),
            tab => tab.to_owned(),
        };
        let read = |area| match keeper {
            Keeper::Host { .. } => snapshot.area(area).clone().into_iter().collect(),
            Keeper::Own => own_values(area),
        };
        let (local, session) = (read(StorageArea::Local), read(StorageArea::Session));
        Self(Arc::new(Shared {
            keeper,
            tab,
            local: Mutex::new(local),
            session: Mutex::new(session),
            memory: Mutex::default(),
            waiting: Mutex::default(),
        }))
    }

    /// The values of `project_id`, where its `persistence` keeps them.
    pub fn project(&self, project_id: &str, persistence: Persistence) -> Store {
        Store {
            storage: self.clone(),
            prefix: storage_key(project_id, ""),
            area: match persistence {
                Persistence::Local => Some(StorageArea::Local),
                Persistence::Session => Some(StorageArea::Session),
                Persistence::None => None,
            },
        }
    }

    /// Another tab changed `key` in `area`.
    fn changed(&self, area: StorageArea, key: &str, value: Option<String>) {
        if key.starts_with(STORAGE_PREFIX) {
            put(&mut self.values(Some(area)), key, value);
        }
    }

    /// The loader holds the lock `name` for the oldest caller waiting for it, and read `fresh` under
    /// its key (`None` when the host page's storage failed: the copy here is then the only one).
    fn granted(&self, name: &str, fresh: Option<Option<String>>) {
        let next = lock(&self.0.waiting)
            .get_mut(name)
            .and_then(VecDeque::pop_front);
        let Some((waiting, key)) = next else {
            return self.post(WidgetToHost::Unlock {
                name: name.to_owned(),
            });
        };
        if let Some(value) = fresh {
            self.changed(StorageArea::Local, &key, value);
        }
        if waiting.send(()).is_err() {
            self.post(WidgetToHost::Unlock {
                name: name.to_owned(),
            });
        }
    }

    fn values(&self, area: Option<StorageArea>) -> MutexGuard<'_, HashMap<String, String>> {
        lock(match area {
            Some(StorageArea::Local) => &self.0.local,
            Some(StorageArea::Session) => &self.0.session,
            None => &self.0.memory,
        })
    }

    /// Keeps `value` under `key` where the keeper keeps `area`.
    fn write(&self, area: StorageArea, key: &str, value: Option<&str>) {
        match &self.0.keeper {
            Keeper::Host { .. } => self.post(WidgetToHost::Store {
                area,
                key: key.to_owned(),
                value: value.map(str::to_owned),
            }),
            Keeper::Own => {
                let written = own_storage(area).and_then(|storage| match value {
                    Some(value) => storage.set_item(key, value).ok(),
                    None => storage.remove_item(key).ok(),
                });
                if written.is_none() {
                    storage_failed();
                }
            }
        }
    }

    fn post(&self, message: WidgetToHost) {
        if let Keeper::Host { origin } = &self.0.keeper {
            post_to_embedding_page(origin, &storage_message(&message));
        }
    }
}

/// One project's values in the storage its persistence mode names.
#[derive(Clone)]
pub struct Store {
    storage: Storage,
    /// `widget_sv5_<projectid>_`.
    prefix: String,
    /// `None` for `persistence: none`.
    area: Option<StorageArea>,
}

impl Store {
    /// The stored value of `name`, if any.
    pub fn get(&self, name: &str) -> Option<String> {
        self.storage.values(self.area).get(&self.key(name)).cloned()
    }

    /// The JSON object stored under `name`; empty when there is none or it is unreadable.
    pub fn get_map(&self, name: &str) -> Map<String, Value> {
        self.get(name)
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// Stores `value` under `name`.
    pub fn set(&self, name: &str, value: &str) {
        self.put(&self.key(name), Some(value.to_owned()));
    }

    /// Forgets `name`.
    pub fn remove(&self, name: &str) {
        self.put(&self.key(name), None);
    }

    /// Forgets everything stored for this project.
    pub fn clear(&self) {
        let keys: Vec<String> = self
            .storage
            .values(self.area)
            .keys()
            .filter(|key| key.starts_with(&self.prefix))
            .cloned()
            .collect();
        for key in keys {
            self.put(&key, None);
        }
    }

    /// Another tab changed `key` of `area` (any project's): which of this project's values it
    /// is, if one of them.
    pub fn changed_elsewhere<'a>(
        &self,
        area: StorageArea,
        key: &'a str,
        value: Option<String>,
    ) -> Option<&'a str> {
        self.storage.changed(area, key, value);
        (self.area == Some(area))
            .then(|| key.strip_prefix(&self.prefix))
            .flatten()
    }

    /// The loader granted the lock `name` it was asked for, having read `fresh` under its key.
    pub fn granted(&self, name: &str, fresh: Option<Option<String>>) {
        self.storage.granted(name, fresh);
    }

    /// The store of another project (`reInit`), in the same storage.
    pub fn for_project(&self, project_id: &str, persistence: Persistence) -> Store {
        self.storage.project(project_id, persistence)
    }

    /// This tab's id: names ending with it are this tab's alone to write.
    pub fn tab(&self) -> &str {
        &self.storage.0.tab
    }

    /// The names of this project's values that start with `prefix`.
    pub fn names_starting(&self, prefix: &str) -> Vec<String> {
        let start = self.key(prefix);
        self.storage
            .values(self.area)
            .keys()
            .filter(|key| key.starts_with(&start))
            .map(|key| key[self.prefix.len()..].to_owned())
            .collect()
    }

    /// Waits until tab `tab` is gone (its lock, which its loader held while it lived, is ours),
    /// with `name` then read afresh from the host page; the lock stays ours until the returned
    /// guard is dropped. Values only this tab sees (`sessionStorage`, memory, the widget's own
    /// storage) belong to no other live tab: they are ours at once.
    pub async fn after_tab(&self, tab: &str, name: &str) -> Held {
        let shared = matches!(self.storage.0.keeper, Keeper::Host { .. })
            && self.area == Some(StorageArea::Local);
        if !shared {
            return Held(None);
        }
        let (name, key) = (tab_lock(tab), self.key(name));
        let (sender, receiver) = oneshot::channel();
        lock(&self.storage.0.waiting)
            .entry(name.clone())
            .or_default()
            .push_back((sender, key.clone()));
        self.storage.post(WidgetToHost::Lock {
            name: name.clone(),
            area: StorageArea::Local,
            key,
        });
        let _ = receiver.await;
        Held(Some((self.storage.clone(), name)))
    }

    fn key(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    fn put(&self, key: &str, value: Option<String>) {
        if let Some(area) = self.area {
            self.storage.write(area, key, value.as_deref());
        }
        put(&mut self.storage.values(self.area), key, value);
    }
}

/// A storage message of the bridge (`Store`, `Lock`, `Unlock`) as a plain object, built by hand:
/// the first-load shell, which keeps values too, carries no serializer. Other messages are `{}`.
pub fn storage_message(message: &WidgetToHost) -> JsValue {
    let object = Object::new();
    let set = |key: &str, value: &str| {
        let _ = Reflect::set(&object, &key.into(), &value.into());
    };
    let area = |area: &StorageArea| match area {
        StorageArea::Local => "local",
        StorageArea::Session => "session",
    };
    match message {
        WidgetToHost::Store {
            area: a,
            key,
            value,
        } => {
            set("type", "store");
            set("area", area(a));
            set("key", key);
            if let Some(value) = value {
                set("value", value);
            }
        }
        WidgetToHost::Lock { name, area: a, key } => {
            set("type", "lock");
            set("name", name);
            set("area", area(a));
            set("key", key);
        }
        WidgetToHost::Unlock { name } => {
            set("type", "unlock");
            set("name", name);
        }
        _ => return object.into(),
    }
    let _ = Reflect::set(&object, &"tiledesk".into(), &BRIDGE_VERSION.into());
    object.into()
}

/// A lock across the site's tabs, released when dropped.
pub struct Held(Option<(Storage, String)>);

impl Drop for Held {
    fn drop(&mut self) {
        if let Some((storage, name)) = self.0.take() {
            storage.post(WidgetToHost::Unlock { name });
        }
    }
}

fn put(values: &mut HashMap<String, String>, key: &str, value: Option<String>) {
    match value {
        Some(value) => values.insert(key.to_owned(), value),
        None => values.remove(key),
    };
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn own_storage(area: StorageArea) -> Option<web_sys::Storage> {
    let window = web_sys::window()?;
    match area {
        StorageArea::Local => window.local_storage(),
        StorageArea::Session => window.session_storage(),
    }
    .ok()
    .flatten()
}

/// The widget's values in its own `area`; none (with one warning) where storage is unavailable.
fn own_values(area: StorageArea) -> HashMap<String, String> {
    let Some(storage) = own_storage(area) else {
        storage_failed();
        return HashMap::new();
    };
    let count = storage.length().unwrap_or(0);
    (0..count)
        .filter_map(|index| storage.key(index).ok().flatten())
        .filter(|key| key.starts_with(STORAGE_PREFIX))
        .filter_map(|key| Some((key.clone(), storage.get_item(&key).ok()??)))
        .collect()
}

/// Says once that storage is unavailable: the widget remembers for this page only.
fn storage_failed() {
    static WARNED: AtomicBool = AtomicBool::new(false);
    if !WARNED.swap(true, Ordering::Relaxed) {
        warn("browser storage is unavailable: the chat is remembered for this page only");
    }
}
