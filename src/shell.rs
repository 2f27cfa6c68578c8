//! The first load: the loader's handshake, the launcher and the callout, in plain DOM and without
//! a JSON library (the browser parses), so that it stays a fraction of the chat's size. The chat
//! module loads when it is needed (the visitor reaches for the launcher, the page calls the API or
//! listens to events, or an earlier visit left a conversation) and takes over with everything the
//! shell saw. Events only matter to listeners, so the shell, which runs while nobody listens, fires
//! none.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Object, Promise, Reflect, JSON};
use serde_json::{Map, Number, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{Document, Element, MessageEvent};

use crate::browser::{browser_languages, embedding_origin, from_embedding_page, warn, Store};
use crate::i18n::{Lang, Text};
use crate::settings::{Align, SettingLayers, Settings};
use crate::storage_keys::{IS_OPEN, OUTBOX, RECIPIENT_ID, SETTINGS, TOKEN};
use crate::theme::{theme_style, CHAT_ICON_PATH, CLOSE_ICON_PATH};

/// The chat module's file stem, content-hashed by `cargo xtask build`.
const CHAT_MODULE: &str = match option_env!("TILEDESK_CHAT_MODULE") {
    Some(stem) => stem,
    None => "chat",
};

const SVG: &str = "http://www.w3.org/2000/svg";

#[wasm_bindgen]
extern "C" {
    /// The chat module's initialiser: the global its `wasm-bindgen --target no-modules` glue defines.
    #[wasm_bindgen(js_name = tiledesk_chat, catch)]
    fn init_chat_module(options: &JsValue) -> Result<Promise, JsValue>;

    /// `boot::take_over` of the chat module.
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(js_namespace = tiledesk_chat, js_name = take_over, catch)]
    fn chat_take_over(
        settings: &JsValue,
        href: &str,
        queued: &Array,
        open: bool,
        listening_at_init: bool,
        callout_due_at: Option<f64>,
        callout_showing: bool,
        remote: &JsValue,
    ) -> Result<(), JsValue>;

    /// `boot::start_top_level` of the chat module.
    #[wasm_bindgen(js_namespace = tiledesk_chat, js_name = start_top_level, catch)]
    fn chat_start_top_level() -> Result<(), JsValue>;
}

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
    state: RefCell<State>,
}

/// What the shell has seen and shows.
#[derive(Default)]
struct State {
    /// `Init` arrived (and, with `settings`, could be used).
    started: bool,
    /// The loader's `Init`, passed on to the chat as it came.
    settings_js: JsValue,
    href: String,
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
}

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
            SettingLayers::with_json_parser(&value_of(&settings_js), &href, parse_json);
        for key in &layers.unparsable_url_keys {
            warn(&format!(
                "URL parameter tiledesk_{key} is not valid JSON; ignored"
            ));
        }
        let resolved = layers.resolve().and_then(|first| {
            let store = Store::new(&first.project_id, first.persistence);
            layers.stored = store
                .get(SETTINGS)
                .and_then(|text| parse_json(&text))
                .and_then(|value| value.as_object().cloned())
                .unwrap_or_default();
            Ok((layers.resolve()?, store))
        });
        let (settings, store) = match resolved {
            Ok(resolved) => resolved,
            Err(error) => return warn(&error.to_string()),
        };
        let returning = [TOKEN, RECIPIENT_ID, OUTBOX]
            .iter()
            .any(|name| store.get(name).is_some());
        let open = settings.open || store.get(IS_OPEN).as_deref() == Some("true");
        let needed = listening
            || returning
            || layers.url_jwt().is_some()
            || layers.url_hidden_message().is_some();
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
                settings_js,
                href,
                listening_at_init: listening,
                layers,
                settings: Some(settings),
                callout_due_at: callout_after.map(|ms| js_sys::Date::now() + f64::from(ms)),
                ..State::default()
            };
        }
        self.paint();
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

    /// (Re)draws the launcher and callout for the current settings, keeping the keyboard focus,
    /// and tells the loader the iframe's shape.
    fn paint(self: &Rc<Self>) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let state = self.state.borrow();
        let (Some(settings), Some(body)) = (&state.settings, document.body()) else {
            return;
        };
        if state.module == Module::TookOver {
            return;
        }
        let lang = Lang::pick(settings.lang.as_deref(), &browser_languages());
        let root = element(&document, "div");
        let class = match settings.align {
            Align::Left => "tdw tdw-embedded tdw-left",
            Align::Right => "tdw tdw-embedded",
        };
        set_attributes(
            &root,
            &[
                ("class", class),
                ("lang", lang.code()),
                ("style", &theme_style(settings)),
            ],
        );
        if settings.start_hidden {
            let _ = root.set_attribute("hidden", "");
        }
        if state.callout_showing {
            let _ = root.append_child(&self.callout(&document, settings, lang));
        }
        let launcher = element(&document, "button");
        set_attributes(
            &launcher,
            &[
                ("type", "button"),
                ("class", "tdw-launcher"),
                ("data-testid", "launcher"),
                ("aria-label", lang.text(Text::OpenChat)),
            ],
        );
        if state.opening {
            let _ = launcher.set_attribute("aria-busy", "true");
        }
        let _ = launcher.append_child(&launcher_icon(&document, settings));
        self.on(&launcher, "click", Self::open);
        self.on(&launcher, "pointerenter", Self::load);
        self.on(&launcher, "focus", Self::load);
        let _ = root.append_child(&launcher);
        let focused = document.active_element().is_some_and(|active| {
            active.get_attribute("data-testid").as_deref() == Some("launcher")
        });
        let mode = match (settings.start_hidden, state.callout_showing) {
            (true, _) => "hidden",
            (false, true) => "callout",
            (false, false) => "closed",
        };
        let layout = bridge_message("layout");
        set(&layout, "mode", mode);
        set(&layout, "geometry", geometry(settings));
        drop(state);
        let previous = self.state.borrow_mut().root.replace(root.clone());
        if let Some(previous) = previous {
            previous.remove();
        }
        let _ = body.append_child(&root);
        if focused {
            if let Some(launcher) = launcher.dyn_ref::<web_sys::HtmlElement>() {
                let _ = launcher.focus();
            }
        }
        self.post(&layout);
    }

    /// The callout bubble: opens the chat, or is dismissed by its ×.
    fn callout(self: &Rc<Self>, document: &Document, settings: &Settings, lang: Lang) -> Element {
        let callout = element(document, "div");
        set_attributes(
            &callout,
            &[
                ("class", "tdw-callout"),
                ("data-testid", "callout"),
                ("role", "status"),
            ],
        );
        let body = element(document, "button");
        set_attributes(&body, &[("type", "button"), ("class", "tdw-callout-body")]);
        let or_default = |text: &str, key| match text {
            "" => lang.text(key).to_owned(),
            text => text.to_owned(),
        };
        let title = element(document, "strong");
        title.set_text_content(Some(&or_default(
            &settings.callout_title,
            Text::CalloutTitle,
        )));
        let message = element(document, "span");
        message.set_text_content(Some(&or_default(
            &settings.callout_msg,
            Text::CalloutMessage,
        )));
        let _ = body.append_child(&title);
        let _ = body.append_child(&message);
        self.on(&body, "click", Self::open);
        let close = element(document, "button");
        set_attributes(
            &close,
            &[
                ("type", "button"),
                ("class", "tdw-callout-close"),
                ("data-testid", "callout-close"),
                ("aria-label", lang.text(Text::Dismiss)),
            ],
        );
        let _ = close.append_child(&icon(document, CLOSE_ICON_PATH, "18"));
        self.on(&close, "click", Self::dismiss_callout);
        let _ = callout.append_child(&body);
        let _ = callout.append_child(&close);
        callout
    }

    /// Calls `action` on every `event` of `target`.
    fn on(self: &Rc<Self>, target: &Element, event: &str, action: fn(&Rc<Self>)) {
        let shell = self.clone();
        let handler = Closure::<dyn Fn()>::new(move || action(&shell));
        let _ = target.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
        handler.forget();
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
        {
            let mut state = self.state.borrow_mut();
            state.callout_due_at = None;
            state.callout_showing = false;
            state.opening = true;
        }
        self.paint();
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
        {
            let mut state = self.state.borrow_mut();
            if state.module != Module::Absent || !state.started {
                return;
            }
            state.module = Module::Loading;
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
                {
                    let mut state = failing.state.borrow_mut();
                    state.module = Module::Absent;
                    state.wanted = false;
                    state.opening = false;
                }
                failing.paint();
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
        report(chat_take_over(
            &state.settings_js,
            &state.href,
            &queued,
            state.opening,
            state.listening_at_init,
            state.callout_due_at,
            state.callout_showing,
            &state.remote,
        ));
    }

    /// The project's widget settings from the dashboard, which restyle the launcher.
    async fn load_remote_settings(self: Rc<Self>) {
        let Some((api_url, project_id)) = self
            .state
            .borrow()
            .settings
            .as_ref()
            .map(|s| (s.api_url.clone(), s.project_id.clone()))
        else {
            return;
        };
        let configured = match api_url {
            Some(_) => None,
            None => fetch_json("widget-config.json")
                .await
                .and_then(|config| get(&config, "apiUrl").as_string()),
        };
        let base = self
            .state
            .borrow()
            .settings
            .as_ref()
            .map(|s| s.api_base(configured.as_deref()))
            .unwrap_or_default();
        let project = String::from(js_sys::encode_uri_component(&project_id));
        let Some(config) = fetch_json(&format!("{base}{project}/widgets")).await else {
            return;
        };
        let remote = get(&get(&config, "project"), "widget");
        let Value::Object(map) = value_of(&remote) else {
            return;
        };
        {
            let mut state = self.state.borrow_mut();
            if state.module == Module::TookOver {
                return;
            }
            state.layers.remote = map;
            state.remote = remote;
            if let Ok(settings) = state.layers.resolve() {
                state.settings = Some(settings);
            }
        }
        self.paint();
    }

    fn post(&self, message: &Object) {
        if let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) {
            let _ = parent.post_message(message, &self.origin);
        }
    }
}

/// The launcher's icon: the website owner's `baloonImage`, else the speech bubble.
fn launcher_icon(document: &Document, settings: &Settings) -> Element {
    if let Some(src) = &settings.baloon_image {
        let image = element(document, "img");
        set_attributes(&image, &[("src", src), ("alt", "")]);
        return image;
    }
    icon(document, CHAT_ICON_PATH, "28")
}

/// A decorative icon: SVG `path` in a 24×24 view box, `size` pixels square, hidden from assistive technology.
fn icon(document: &Document, path: &str, size: &str) -> Element {
    let svg = document
        .create_element_ns(Some(SVG), "svg")
        .unwrap_or_else(|_| element(document, "span"));
    set_attributes(
        &svg,
        &[
            ("viewBox", "0 0 24 24"),
            ("width", size),
            ("height", size),
            ("aria-hidden", "true"),
            ("focusable", "false"),
        ],
    );
    if let Ok(shape) = document.create_element_ns(Some(SVG), "path") {
        set_attributes(&shape, &[("fill", "currentColor"), ("d", path)]);
        let _ = svg.append_child(&shape);
    }
    svg
}

/// The iframe's geometry as the bridge carries it (`Geometry` in the protocol crate).
fn geometry(settings: &Settings) -> Object {
    let g = settings.geometry();
    let geometry = Object::new();
    for (key, value) in [
        ("align", g.align),
        ("marginX", g.margin_x),
        ("marginY", g.margin_y),
        ("mobileMarginX", g.mobile_margin_x),
        ("mobileMarginY", g.mobile_margin_y),
        ("launcherWidth", g.launcher_width),
        ("launcherHeight", g.launcher_height),
    ] {
        set(&geometry, key, value);
    }
    for (key, value) in [
        ("fullscreen", g.fullscreen),
        ("displayOnDesktop", g.display_on_desktop),
        ("displayOnMobile", g.display_on_mobile),
    ] {
        set(&geometry, key, value);
    }
    geometry
}

/// A bridge message of this `type`, with its version stamp.
fn bridge_message(kind: &str) -> Object {
    let message = Object::new();
    set(&message, "tiledesk", 1);
    set(&message, "type", kind);
    message
}

/// Reports a failed call into the chat module.
fn report(result: Result<(), JsValue>) {
    if let Err(error) = result {
        web_sys::console::error_2(&"[tiledesk] the chat failed to start:".into(), &error);
    }
}

/// Initialises the chat module's wasm, first adding its script to the page unless an earlier try
/// did; then calls `loaded`, or `failed` when either cannot be fetched or started.
fn load_chat_module(loaded: Rc<dyn Fn()>, failed: Rc<dyn Fn()>) {
    thread_local! {
        /// Whether the chat module's script has run (a second copy could not redefine its global).
        static SCRIPT_RAN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    let initialise = {
        let failed = failed.clone();
        move || {
            let options = Object::new();
            set(&options, "module_or_path", format!("{CHAT_MODULE}_bg.wasm"));
            let Ok(starting) = init_chat_module(&options) else {
                return failed();
            };
            let (loaded, failed) = (loaded.clone(), failed.clone());
            spawn_local(async move {
                match JsFuture::from(starting).await {
                    Ok(_) => loaded(),
                    Err(error) => {
                        web_sys::console::error_2(&"[tiledesk]".into(), &error);
                        failed();
                    }
                }
            });
        }
    };
    if SCRIPT_RAN.get() {
        return initialise();
    }
    let document = web_sys::window().and_then(|w| w.document());
    let (Some(document), Some(head)) = (document.clone(), document.and_then(|d| d.head())) else {
        return failed();
    };
    let script = element(&document, "script").unchecked_into::<web_sys::HtmlElement>();
    let _ = script.set_attribute("src", &format!("{CHAT_MODULE}.js"));
    let on_load = Closure::once_into_js(move || {
        SCRIPT_RAN.set(true);
        initialise();
    });
    let on_error = {
        let script = script.clone();
        Closure::once_into_js(move || {
            script.remove();
            failed();
        })
    };
    script.set_onload(Some(on_load.unchecked_ref()));
    script.set_onerror(Some(on_error.unchecked_ref()));
    let _ = head.append_child(&script);
}

/// `GET url` as parsed JSON; `None` when unreachable, not 2xx or not JSON.
async fn fetch_json(url: &str) -> Option<JsValue> {
    let window = web_sys::window()?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    if !response.ok() {
        return None;
    }
    JsFuture::from(response.json().ok()?).await.ok()
}

/// JSON text parsed by the browser, as a JSON value.
fn parse_json(text: &str) -> Option<Value> {
    JSON::parse(text).ok().map(|value| value_of(&value))
}

/// A plain JavaScript value as a JSON value (functions and `undefined` become `null`); whole
/// numbers stay integers.
fn value_of(js: &JsValue) -> Value {
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

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn set(target: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(target, &key.into(), &value.into());
}

fn element(document: &Document, tag: &str) -> Element {
    document
        .create_element(tag)
        .expect("creating an HTML element of a known tag")
}

fn set_attributes(target: &Element, attributes: &[(&str, &str)]) {
    for (name, value) in attributes {
        let _ = target.set_attribute(name, value);
    }
}
