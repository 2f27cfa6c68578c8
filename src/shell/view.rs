//! Drawing the shell: the launcher and the callout in plain DOM, in the project's colours, and the
//! iframe's shape told to the loader.

use std::rc::Rc;

use js_sys::{Object, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

use super::js::{bridge_message, js_of, set};
use super::{Module, Shell};
use crate::core::i18n::{Lang, Text};
use crate::core::settings::{Align, Settings, DEFAULT_PRE_CHAT_FORM};
use crate::core::theme::{theme_style, CHAT_ICON_PATH, CLOSE_ICON_PATH};
use crate::platform::browser::browser_languages;

const SVG: &str = "http://www.w3.org/2000/svg";

impl Shell {
    /// (Re)draws the launcher and callout for the current settings, keeping the keyboard focus,
    /// and tells the loader the iframe's shape.
    pub(super) fn paint(self: &Rc<Self>) {
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
        // What the page's synchronous getPreChatFormJson() answers.
        let props = bridge_message("props");
        let form = match &settings.pre_chat_form_json {
            Some(form) => js_of(form),
            None => JSON::parse(DEFAULT_PRE_CHAT_FORM).unwrap_or(JsValue::NULL),
        };
        set(&props, "preChatFormJson", form);
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
        self.post(&props);
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

pub(super) fn element(document: &Document, tag: &str) -> Element {
    document
        .create_element(tag)
        .expect("creating an HTML element of a known tag")
}

fn set_attributes(target: &Element, attributes: &[(&str, &str)]) {
    for (name, value) in attributes {
        let _ = target.set_attribute(name, value);
    }
}
