//! Drawing the shell: the launcher and the callout in plain DOM, in the project's colours, and the
//! iframe's shape told to the loader; once the visitor opens the chat, the panel's frame, whose
//! message box takes text while the chat module arrives.

use std::rc::Rc;

use js_sys::{Object, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

use super::js::{bridge_message, js_of, set};
use super::{Module, Shell, State};
use crate::core::i18n::{self, Lang};
use crate::core::settings::{Align, PanelSize, Settings, DEFAULT_PRE_CHAT_FORM};
use crate::core::theme::{theme_style, CHAT_ICON_PATH, CLOSE_ICON_PATH, SEND_ICON_PATH};
use crate::platform::browser::{browser_languages, is_mobile};

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
        let mut class = String::from(match settings.align {
            Align::Left => "tdw tdw-embedded tdw-left",
            Align::Right => "tdw tdw-embedded",
        });
        if state.opening && state.size == PanelSize::Top && !is_mobile() {
            class.push_str(" tdw-top");
        }
        let root = make(
            &document,
            "div",
            &[
                ("class", &class),
                ("lang", lang.code()),
                ("style", &theme_style(settings)),
            ],
        );
        if settings.start_hidden {
            let _ = root.set_attribute("hidden", "");
        }
        let focus = if state.opening {
            let (frame, focus) = self.frame(&document, settings, lang, &state);
            let _ = root.append_child(&frame);
            Some(focus)
        } else {
            if state.callout_showing {
                let _ = root.append_child(&self.callout(&document, settings, lang));
            }
            let launcher = self.launcher(&document, settings, lang);
            let _ = root.append_child(&launcher);
            let focused = document.active_element().is_some_and(|active| {
                active.get_attribute("data-testid").as_deref() == Some("launcher")
            });
            focused.then_some(launcher)
        };
        let mode = match (settings.start_hidden, state.opening, state.callout_showing) {
            (true, _, _) => "hidden",
            (false, true, _) => "open",
            (false, false, true) => "callout",
            (false, false, false) => "closed",
        };
        let layout = bridge_message("layout");
        set(&layout, "mode", mode);
        set(&layout, "geometry", geometry(settings, state.size));
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
        if let Some(target) = focus
            .as_ref()
            .and_then(|f| f.dyn_ref::<web_sys::HtmlElement>())
        {
            let _ = target.focus();
        }
        self.post(&layout);
        self.post(&props);
    }

    /// The launcher button: opens the chat; reaching for it fetches the chat module.
    fn launcher(self: &Rc<Self>, document: &Document, settings: &Settings, lang: Lang) -> Element {
        let launcher = make(
            document,
            "button",
            &[
                ("type", "button"),
                ("class", "tdw-launcher"),
                ("data-testid", "launcher"),
                ("aria-label", lang.of(&i18n::OPEN_CHAT)),
            ],
        );
        let _ = launcher.append_child(&launcher_icon(document, settings));
        self.on(&launcher, "click", Self::open);
        for intent in ["pointerenter", "pointerdown", "focus"] {
            self.on(&launcher, intent, Self::load);
        }
        launcher
    }

    /// The open panel's frame while the chat module loads, as the chat draws it: the header
    /// with its close button and, when the chat opens on a conversation, the message box, which
    /// keeps what the visitor types for the chat (Enter asks the chat to send it). Returns the
    /// frame and what takes the focus.
    fn frame(
        self: &Rc<Self>,
        document: &Document,
        settings: &Settings,
        lang: Lang,
        state: &State,
    ) -> (Element, Element) {
        let title = match settings.widget_title.as_str() {
            "" => lang.of(&i18n::DEFAULT_TITLE),
            title => title,
        };
        let panel = make(
            document,
            "section",
            &[
                ("class", "tdw-panel"),
                ("data-testid", "panel-frame"),
                ("role", "dialog"),
                ("aria-label", title),
                ("aria-busy", "true"),
            ],
        );
        let (header, close) = self.frame_header(document, settings, lang, title);
        let messages = make(document, "div", &[("class", "tdw-messages")]);
        let loading = make(
            document,
            "div",
            &[("class", "tdw-typing tdw-loading"), ("aria-hidden", "true")],
        );
        for _ in 0..3 {
            let _ = loading.append_child(&element(document, "span"));
        }
        let _ = messages.append_child(&loading);
        let _ = panel.append_child(&header);
        let _ = panel.append_child(&messages);
        if state.load_failed {
            let error = make(
                document,
                "p",
                &[
                    ("class", "tdw-error"),
                    ("role", "alert"),
                    ("data-testid", "error"),
                ],
            );
            error.set_text_content(Some(lang.of(&i18n::OFFLINE)));
            let _ = panel.append_child(&error);
        }
        self.on_key(&panel);
        // The chat opens on the message box (no home view or pre-chat form first): offered now.
        if !settings.opens_on_message_box(state.in_conversation) {
            return (panel, close);
        }
        let (composer, area) = self.frame_composer(document, lang, &state.draft);
        let _ = panel.append_child(&composer);
        (panel, area)
    }

    /// The frame's header titled `title`, and its close button.
    fn frame_header(
        self: &Rc<Self>,
        document: &Document,
        settings: &Settings,
        lang: Lang,
        title: &str,
    ) -> (Element, Element) {
        let header = make(document, "header", &[("class", "tdw-header")]);
        let heading = make(document, "div", &[("class", "tdw-title")]);
        let h1 = element(document, "h1");
        h1.set_text_content(Some(title));
        let _ = heading.append_child(&h1);
        let close = make(
            document,
            "button",
            &[
                ("type", "button"),
                ("class", "tdw-close"),
                ("data-testid", "close"),
                ("aria-label", lang.of(&i18n::CLOSE_CHAT)),
            ],
        );
        if settings.hide_header_close_button {
            let _ = close.set_attribute("hidden", "");
        }
        let _ = close.append_child(&icon(document, CLOSE_ICON_PATH, "20"));
        self.on(&close, "click", Self::close_frame);
        let _ = header.append_child(&heading);
        let _ = header.append_child(&close);
        (header, close)
    }

    /// The frame's message box holding `draft`, with its send button; and the box.
    fn frame_composer(
        self: &Rc<Self>,
        document: &Document,
        lang: Lang,
        draft: &str,
    ) -> (Element, Element) {
        let composer = make(document, "form", &[("class", "tdw-composer")]);
        let area = make(
            document,
            "textarea",
            &[
                ("data-testid", "composer"),
                ("aria-label", lang.of(&i18n::MESSAGE_LABEL)),
                ("placeholder", lang.of(&i18n::TYPE_MESSAGE)),
                ("rows", "1"),
            ],
        );
        if let Some(area) = area.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            area.set_value(draft);
        }
        self.on(&area, "input", Self::keep_draft);
        let send = make(
            document,
            "button",
            &[
                ("type", "button"),
                ("class", "tdw-send"),
                ("aria-label", lang.of(&i18n::SEND)),
            ],
        );
        self.on(&send, "click", Self::queue_send);
        let _ = send.append_child(&icon(document, SEND_ICON_PATH, "22"));
        let _ = composer.append_child(&area);
        let _ = composer.append_child(&send);
        (composer, area)
    }

    /// Escape closes the frame; Enter in its message box asks the chat to send the text.
    fn on_key(self: &Rc<Self>, panel: &Element) {
        let shell = self.clone();
        let handler =
            Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |event: web_sys::KeyboardEvent| {
                match event.key().as_str() {
                    "Escape" => shell.close_frame(),
                    "Enter" if !event.shift_key() && !event.is_composing() => {
                        let in_box = event
                            .target()
                            .is_some_and(|t| t.has_type::<web_sys::HtmlTextAreaElement>());
                        if in_box {
                            event.prevent_default();
                            shell.queue_send();
                        }
                    }
                    _ => {}
                }
            });
        let _ = panel.add_event_listener_with_callback("keydown", handler.as_ref().unchecked_ref());
        handler.forget();
    }

    /// The callout bubble: opens the chat, or is dismissed by its ×.
    fn callout(self: &Rc<Self>, document: &Document, settings: &Settings, lang: Lang) -> Element {
        let callout = make(
            document,
            "div",
            &[
                ("class", "tdw-callout"),
                ("data-testid", "callout"),
                ("role", "status"),
            ],
        );
        let body = make(
            document,
            "button",
            &[("type", "button"), ("class", "tdw-callout-body")],
        );
        let or_default = |text: &str, row| match text {
            "" => lang.of(row).to_owned(),
            text => text.to_owned(),
        };
        let title = element(document, "strong");
        title.set_text_content(Some(&or_default(
            &settings.callout_title,
            &i18n::CALLOUT_TITLE,
        )));
        let message = element(document, "span");
        message.set_text_content(Some(&or_default(
            &settings.callout_msg,
            &i18n::CALLOUT_MESSAGE,
        )));
        let _ = body.append_child(&title);
        let _ = body.append_child(&message);
        self.on(&body, "click", Self::open);
        let close = make(
            document,
            "button",
            &[
                ("type", "button"),
                ("class", "tdw-callout-close"),
                ("data-testid", "callout-close"),
                ("aria-label", lang.of(&i18n::DISMISS)),
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
        let image = make(document, "img", &[("src", src), ("alt", "")]);
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

/// The iframe's geometry as the bridge carries it (`Geometry` in the protocol crate), with the
/// open panel `size`d.
fn geometry(settings: &Settings, size: PanelSize) -> Object {
    let g = settings.geometry_sized(size);
    let geometry = Object::new();
    for (key, value) in [
        ("align", g.align),
        ("marginX", g.margin_x),
        ("marginY", g.margin_y),
        ("mobileMarginX", g.mobile_margin_x),
        ("mobileMarginY", g.mobile_margin_y),
        ("launcherWidth", g.launcher_width),
        ("launcherHeight", g.launcher_height),
        ("size", g.size),
        ("panelWidth", g.panel_width),
        ("panelHeight", g.panel_height),
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

/// A new `tag` element with `attributes`.
fn make(document: &Document, tag: &str, attributes: &[(&str, &str)]) -> Element {
    let made = element(document, tag);
    set_attributes(&made, attributes);
    made
}

fn set_attributes(target: &Element, attributes: &[(&str, &str)]) {
    for (name, value) in attributes {
        let _ = target.set_attribute(name, value);
    }
}
