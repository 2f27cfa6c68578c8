//! The first load: the loader's handshake, the launcher and the callout, in plain DOM and without
//! a JSON library (the browser parses), so that it stays a fraction of the chat's size. The chat
//! module loads when it is needed (the visitor reaches for the launcher, the page calls the API or
//! listens to events, or an earlier visit left a conversation) and takes over with everything the
//! shell saw. Events only matter to listeners, so the shell, which runs while nobody listens, fires
//! none.

mod js;
mod module;
mod view;

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Object, Reflect, JSON};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Element, MessageEvent};

use crate::core::settings::{PanelSize, SettingLayers, Settings};
use crate::core::storage_keys::{
    IS_OPEN, OUTBOX, PRE_CHAT_FORM, RECIPIENT_ID, REMOTE_SETTINGS, SETTINGS, SIZE, TOKEN,
};
use crate::platform::browser::{is_mobile, warn};
use crate::platform::embedding::{embedding_origin, from_embedding_page, post_to_embedding_page};
use crate::platform::storage::{Keeper, Storage, Store};
use js::{
    bridge_message, fetch_json, get, host_storage, parse_json, read_json, set, start_fetch,
    value_of,
};
use module::{chat_start_top_level, chat_take_over, load_chat_module, report};

/// How far the chat module got.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum Module {
    #[default]
    Absent,
    Loading,
    Loaded,
    /// The chat runs; the shell stays out of the way.
    TookOver,
}

/// The shell in the loader's iframe, answering to the host page at `origin`.
struct Shell {
    origin: String,
    /// `widget-config.json` next to the widget's files, requested at boot, while the loader's
    /// handshake runs: read unless the settings name the API (`apiUrl`).
    config: RefCell<Option<js_sys::Promise>>,
    state: RefCell<State>,
}

/// What the shell has seen and shows.
#[derive(Default)]
struct State {
    /// `Init` arrived (and, with `settings`, could be used).
    started: bool,
    /// The loader's `Init`, passed on to the chat as it came (its storage snapshot kept up to
    /// date with other tabs' changes).
    init: JsValue,
    listening_at_init: bool,
    layers: SettingLayers,
    settings: Option<Settings>,
    /// The project's remote widget settings, once loaded.
    remote: JsValue,
    /// Host calls for the chat, in order.
    queued: Vec<JsValue>,
    module: Module,
    /// Whether to hand over as soon as the chat module has loaded.
    wanted: bool,
    /// The visitor asked for the chat; it opens once loaded.
    opening: bool,
    callout_due_at: Option<f64>,
    callout_showing: bool,
    /// The shell's root element, while it shows.
    root: Option<Element>,
    /// The project's store, where the remote settings are remembered for the next page.
    store: Option<Store>,
    /// Whether the launcher waits for the remote settings (none remembered) before it first shows.
    awaiting_remote: bool,
    /// A conversation is current: the chat opens on it, as it left it.
    in_conversation: bool,
    /// The open panel's size.
    size: PanelSize,
    /// What the visitor typed in the frame's message box, for the chat.
    draft: String,
    /// The visitor asked to send the draft before the chat took over.
    send_draft: bool,
    /// The chat module could not be fetched while the frame showed: it says so, and sending
    /// (or opening again) tries again.
    load_failed: bool,
}

/// The widget's deployment file naming the API (`apiUrl`), beside its `index.html`.
const WIDGET_CONFIG: &str = "widget-config.json";

/// How long a first visit's launcher waits for the project's remote settings before it shows in
/// the defaults: it should appear once, already in the project's colours and place.
const REMOTE_SETTINGS_WAIT_MS: i32 = 1_000;

/// Boots the shell in the page it was loaded in.
pub fn boot() {
    let Some(origin) = embedding_origin() else {
        // Top-level (a mobile app's WebView): the chat defines the JavaScript API itself.
        return load_chat_module(
            Rc::new(|| report(chat_start_top_level())),
            Rc::new(|| warn("the chat could not be loaded")),
        );
    };
    let shell = Rc::new(Shell {
        origin,
        config: RefCell::new(start_fetch(WIDGET_CONFIG)),
        state: RefCell::default(),
    });
    let listening = shell.clone();
    let listener = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        listening.clone().receive(&event);
    });
    if let Some(window) = web_sys::window() {
        let _ =
            window.add_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
    }
    listener.forget();
    shell.post(&bridge_message("ready"));
}

impl Shell {
    /// A bridge message from the loader.
    fn receive(self: Rc<Self>, event: &MessageEvent) {
        let data = event.data();
        let took_over = self.state.borrow().module == Module::TookOver;
        if took_over
            || !from_embedding_page(event, &self.origin)
            || get(&data, "tiledesk").as_f64() != Some(1.0)
        {
            return;
        }
        match get(&data, "type").as_string().as_deref() {
            Some("init") => self.start(&data),
            Some("call") if !self.state.borrow().started => warn(&format!(
                "'{}' called before the widget started",
                get(&data, "method").as_string().unwrap_or_default()
            )),
            Some("call") => self.want_chat(Some(data)),
            Some("listen") => self.want_chat(None),
            Some("stored") => self.stored(&data),
            _ => {}
        }
    }

    /// Starts from the loader's settings: the launcher, the callout timer, the remote settings,
    /// and the chat at once when it is already needed.
    fn start(self: Rc<Self>, init: &JsValue) {
        let settings_js = get(init, "settings");
        let href = get(init, "href").as_string().unwrap_or_default();
        let listening = get(init, "listening").as_bool().unwrap_or(false);
        let mut layers =
            SettingLayers::with_json_parser(&value_of(&settings_js), &href, parse_json).embedded();
        for key in &layers.unparsable_url_keys {
            warn(&format!(
                "URL parameter tiledesk_{key} is not valid JSON; ignored"
            ));
        }
        for key in &layers.refused_url_keys {
            warn(&format!(
                "URL parameter tiledesk_{key} ignored: the page's URL may not choose it"
            ));
        }
        let storage = Storage::new(
            Keeper::Host {
                origin: self.origin.clone(),
            },
            &host_storage(&get(init, "storage")),
            &get(init, "tab").as_string().unwrap_or_default(),
        );
        let resolved = layers.resolve().and_then(|first| {
            let store = storage.project(&first.project_id, first.persistence);
            let stored = store
                .get(SETTINGS)
                .and_then(|text| parse_json(&text))
                .and_then(|value| value.as_object().cloned())
                .unwrap_or_default();
            layers.set_stored(stored, store.get(PRE_CHAT_FORM).as_deref());
            Ok((layers.resolve()?, store))
        });
        let (mut settings, store) = match resolved {
            Ok(resolved) => resolved,
            Err(error) => return warn(&error.to_string()),
        };
        // The remote settings as an earlier page last loaded them: the launcher shows in them at once.
        let remembered = store.get(REMOTE_SETTINGS);
        let remembered_js = remembered
            .as_deref()
            .and_then(|text| JSON::parse(text).ok())
            .filter(JsValue::is_object);
        if let Some(Value::Object(remote)) = remembered_js.as_ref().map(value_of) {
            layers.remote = remote;
            if let Ok(resolved) = layers.resolve() {
                settings = resolved;
            }
        }
        let returning = [TOKEN, RECIPIENT_ID]
            .iter()
            .any(|name| store.get(name).is_some())
            || !store.names_starting(OUTBOX).is_empty();
        let open =
            settings.opens_on_load(is_mobile(), store.get(IS_OPEN).as_deref() == Some("true"));
        let needed = listening
            || returning
            || layers.url_jwt().is_some()
            || layers.url_hidden_message().is_some();
        let in_conversation = store.get(RECIPIENT_ID).is_some();
        let size = store
            .get(SIZE)
            .and_then(|size| PanelSize::parse(&size))
            .unwrap_or(settings.size);
        let callout_after = u32::try_from(settings.callout_timer)
            .ok()
            .map(|seconds| seconds.saturating_mul(1000));
        {
            let mut state = self.state.borrow_mut();
            if state.started {
                return;
            }
            *state = State {
                started: true,
                init: init.clone(),
                listening_at_init: listening,
                layers,
                settings: Some(settings),
                remote: remembered_js.clone().unwrap_or(JsValue::UNDEFINED),
                callout_due_at: callout_after.map(|ms| js_sys::Date::now() + f64::from(ms)),
                store: Some(store),
                awaiting_remote: remembered_js.is_none(),
                in_conversation,
                size,
                ..State::default()
            };
        }
        if !self.allowed_here() {
            return self.post(&bridge_message("dispose"));
        }
        if remembered_js.is_some() {
            self.paint();
        } else {
            let shell = self.clone();
            let paint = Closure::once_into_js(move || shell.show_without_remote_settings());
            if let Some(window) = web_sys::window() {
                let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                    paint.unchecked_ref(),
                    REMOTE_SETTINGS_WAIT_MS,
                );
            }
        }
        if let Some(ms) = callout_after {
            let shell = self.clone();
            let show = Closure::once_into_js(move || shell.show_callout());
            if let Some(window) = web_sys::window() {
                let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                    show.unchecked_ref(),
                    ms.min(i32::MAX as u32) as i32,
                );
            }
        }
        spawn_local(self.clone().load_remote_settings());
        if open {
            self.open();
        } else if needed {
            self.want_chat(None);
        }
    }

    /// Another tab changed one of the widget's values: the snapshot handed to the chat follows.
    fn stored(&self, message: &JsValue) {
        let state = self.state.borrow();
        let area = get(
            &get(&state.init, "storage"),
            &get(message, "area").as_string().unwrap_or_default(),
        );
        if let (true, Some(key)) = (area.is_object(), get(message, "key").as_string()) {
            match get(message, "value").as_string() {
                Some(value) => set(area.unchecked_ref(), &key, value),
                None => {
                    let _ = Reflect::delete_property(area.unchecked_ref::<Object>(), &key.into());
                }
            }
        }
    }

    fn show_callout(self: Rc<Self>) {
        {
            let mut state = self.state.borrow_mut();
            if state.callout_due_at.take().is_none() || state.module == Module::TookOver {
                return;
            }
            state.callout_showing = true;
        }
        self.paint();
    }

    fn dismiss_callout(self: &Rc<Self>) {
        let was_showing = {
            let mut state = self.state.borrow_mut();
            state.callout_due_at = None;
            std::mem::take(&mut state.callout_showing)
        };
        if was_showing {
            self.paint();
        }
    }

    /// The visitor (or the `open` setting) asked for the chat: it opens once loaded.
    fn open(self: &Rc<Self>) {
        let loaded = {
            let mut state = self.state.borrow_mut();
            state.callout_due_at = None;
            state.callout_showing = false;
            state.opening = true;
            state.module == Module::Loaded
        };
        if !loaded {
            self.paint();
        }
        self.want_chat(None);
    }

    /// The visitor closes the panel's frame before the chat arrived: the launcher is back, and
    /// the chat, once loaded, takes over closed (with the draft).
    fn close_frame(self: &Rc<Self>) {
        {
            let mut state = self.state.borrow_mut();
            state.opening = false;
            state.load_failed = false;
        }
        self.paint();
    }

    /// Keeps the frame's message box text for the chat.
    fn keep_draft(self: &Rc<Self>) {
        let text = self
            .state
            .borrow()
            .root
            .as_ref()
            .and_then(|root| root.query_selector("textarea").ok().flatten())
            .and_then(|area| area.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
            .map(|area| area.value());
        if let Some(text) = text {
            self.state.borrow_mut().draft = text;
        }
    }

    /// The visitor sends from the frame: the chat sends the draft once it takes over.
    fn queue_send(self: &Rc<Self>) {
        self.keep_draft();
        {
            let mut state = self.state.borrow_mut();
            state.send_draft = !state.draft.trim().is_empty();
        }
        self.want_chat(None);
    }

    /// The chat is needed (with a host call for it): hand over once it has loaded.
    fn want_chat(self: &Rc<Self>, call: Option<JsValue>) {
        let module = {
            let mut state = self.state.borrow_mut();
            if state.module == Module::TookOver {
                return;
            }
            state.queued.extend(call);
            state.wanted = true;
            state.module
        };
        match module {
            Module::Loaded => self.hand_over(),
            Module::Absent => self.load(),
            Module::Loading | Module::TookOver => {}
        }
    }

    /// Fetches the chat module (once), without starting it.
    fn load(self: &Rc<Self>) {
        let retrying = {
            let mut state = self.state.borrow_mut();
            if state.module != Module::Absent || !state.started {
                return;
            }
            state.module = Module::Loading;
            // A retry: the frame's error goes while it runs.
            std::mem::take(&mut state.load_failed)
        };
        if retrying {
            self.paint();
        }
        let (loading, failing) = (self.clone(), self.clone());
        load_chat_module(
            Rc::new(move || {
                let wanted = {
                    let mut state = loading.state.borrow_mut();
                    state.module = Module::Loaded;
                    state.wanted
                };
                if wanted {
                    loading.hand_over();
                }
            }),
            Rc::new(move || {
                warn(
                    "the chat could not be loaded; it is tried again when the visitor asks for it",
                );
                let opening = {
                    let mut state = failing.state.borrow_mut();
                    state.module = Module::Absent;
                    state.wanted = false;
                    state.load_failed = state.opening;
                    state.opening
                };
                if opening {
                    failing.paint();
                }
            }),
        );
    }

    /// Removes the shell's view and starts the chat with everything the shell saw, in one go so
    /// that no host message falls between the two.
    fn hand_over(self: &Rc<Self>) {
        let state = std::mem::replace(
            &mut *self.state.borrow_mut(),
            State {
                started: true,
                module: Module::TookOver,
                ..State::default()
            },
        );
        if let Some(root) = &state.root {
            root.remove();
        }
        let queued: Array = state.queued.iter().collect();
        // `ShellState` in the protocol crate.
        let shell = Object::new();
        set(&shell, "open", state.opening);
        set(&shell, "listeningAtInit", state.listening_at_init);
        set(&shell, "calloutDueAt", state.callout_due_at);
        set(&shell, "calloutShowing", state.callout_showing);
        set(&shell, "draft", state.draft.as_str());
        set(&shell, "sendDraft", state.send_draft);
        report(chat_take_over(&state.init, &queued, &shell, &state.remote));
    }

    /// The first launcher shows in the defaults: the remote settings are late, or unavailable.
    fn show_without_remote_settings(self: Rc<Self>) {
        let waited = std::mem::take(&mut self.state.borrow_mut().awaiting_remote);
        if waited {
            self.paint();
        }
    }

    /// Loads the project's widget settings from the dashboard, which restyle the launcher (and
    /// remembers them for the next page); shows the first launcher once they are known.
    async fn load_remote_settings(self: Rc<Self>) {
        let remote = self.fetch_remote_settings().await;
        let has_rules = {
            let mut state = self.state.borrow_mut();
            if state.module == Module::TookOver {
                return;
            }
            let waited = std::mem::take(&mut state.awaiting_remote);
            let Some((remote, text, has_rules)) = remote else {
                drop(state);
                if waited {
                    self.paint();
                }
                return;
            };
            let Value::Object(map) = value_of(&remote) else {
                return;
            };
            if let Some(store) = &state.store {
                if store.get(REMOTE_SETTINGS).as_deref() != Some(text.as_str()) {
                    store.set(REMOTE_SETTINGS, &text);
                }
            }
            state.layers.remote = map;
            state.remote = remote;
            if let Ok(settings) = state.layers.resolve() {
                state.settings = Some(settings);
            }
            has_rules
        };
        if self.allowed_here() {
            self.paint();
            // Bot rules are applied by the chat, which the page then needs before any click.
            if has_rules {
                self.want_chat(None);
            }
        } else {
            // As the Tiledesk widget does on a page its `allowedOnSpecificUrlList` leaves out.
            self.post(&bridge_message("dispose"));
        }
    }

    /// Whether the project lets the widget show on this page (`allowedOnSpecificUrl`).
    fn allowed_here(&self) -> bool {
        let state = self.state.borrow();
        let href = get(&state.init, "href").as_string().unwrap_or_default();
        state
            .settings
            .as_ref()
            .is_none_or(|settings| settings.allowed_on_page(&href))
    }

    /// `GET {api}/:pid/widgets`: the project's widget settings, as a value and as JSON text, and
    /// whether the project has proactive bot rules.
    async fn fetch_remote_settings(&self) -> Option<(JsValue, String, bool)> {
        let (api_url, project_id) = self
            .state
            .borrow()
            .settings
            .as_ref()
            .map(|s| (s.api_url.clone(), s.project_id.clone()))?;
        let config = self.config.take();
        let configured = match (api_url, config) {
            (None, Some(config)) => read_json(config)
                .await
                .and_then(|config| get(&config, "apiUrl").as_string()),
            _ => None,
        };
        let base = self
            .state
            .borrow()
            .settings
            .as_ref()
            .map(|s| s.api_base(configured.as_deref()))?;
        let project = String::from(js_sys::encode_uri_component(&project_id));
        let config = fetch_json(&format!("{base}{project}/widgets")).await?;
        let rules = get(&config, "botsRules");
        let has_rules = Array::is_array(&rules) && Array::from(&rules).length() > 0;
        let saved = get(&get(&config, "project"), "widget");
        let remote = if saved.is_object() {
            saved
        } else {
            Object::new().into()
        };
        let text = JSON::stringify(&remote).ok()?.as_string()?;
        Some((remote, text, has_rules))
    }

    fn post(&self, message: &Object) {
        post_to_embedding_page(&self.origin, message);
    }
}
