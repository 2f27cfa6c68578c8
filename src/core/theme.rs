//! The widget's look from its settings, shared by the first-load shell and the full chat: the CSS
//! custom properties that carry the theme (with a readable foreground for any theme colour) and
//! the icons both draw.

use crate::core::contrast::readable_foreground;
use crate::core::settings::Settings;

/// The launcher's speech-bubble icon, an SVG path in a 24×24 view box.
pub const CHAT_ICON_PATH: &str =
    "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-4 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z";

/// The close / dismiss cross, an SVG path in a 24×24 view box.
pub const CLOSE_ICON_PATH: &str =
    "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4L12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z";

/// The "back" chevron pointing left, an SVG path in a 24×24 view box.
pub const BACK_ICON_PATH: &str = "M15.4 5.4 14 4l-8 8 8 8 1.4-1.4L8.8 12z";
/// A microphone, and the square that stops a recording.
pub const MIC_ICON_PATH: &str = "M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.9V21h2v-3.1a7 7 0 0 0 6-6.9z";
pub const STOP_ICON_PATH: &str = "M7 7h10v10H7z";
/// A box with an arrow leaving it: open in a new tab.
pub const OPEN_IN_NEW_ICON_PATH: &str =
    "M14 3v2h3.6l-9.8 9.8 1.4 1.4L19 6.4V10h2V3zM5 5a2 2 0 0 0-2 2v12c0 1.1.9 2 2 2h12a2 2 0 0 0 2-2v-7h-2v7H5V7h7V5z";

/// The paper plane of the send button, an SVG path in a 24×24 view box.
/// The header's options (three dots), and the panel's sizes: expand, centre, restore.
pub const OPTIONS_ICON_PATH: &str = "M12 8a2 2 0 1 0 0-4 2 2 0 0 0 0 4zm0 2a2 2 0 1 0 0 4 2 2 0 0 0 0-4zm0 6a2 2 0 1 0 0 4 2 2 0 0 0 0-4z";
pub const MAXIMIZE_ICON_PATH: &str = "M4 4h7v2H6v5H4zm16 16h-7v-2h5v-5h2z";
pub const CENTER_ICON_PATH: &str = "M5 5h14v14H5zm2 2v10h10V7z";
pub const MINIMIZE_ICON_PATH: &str = "M11 11H4V9h5V4h2zm2 2h7v2h-5v5h-2z";
/// A loudspeaker, on and off; a download arrow; a door (log out); an archive box (end).
pub const SOUND_ON_ICON_PATH: &str =
    "M3 9v6h4l5 5V4L7 9zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4z";
pub const SOUND_OFF_ICON_PATH: &str = "M3 9v6h4l5 5V4L7 9zm18.6 1.4-1.4-1.4-2.2 2.2-2.2-2.2-1.4 1.4 2.2 2.2-2.2 2.2 1.4 1.4 2.2-2.2 2.2 2.2 1.4-1.4-2.2-2.2z";
pub const DOWNLOAD_ICON_PATH: &str = "M19 9h-4V3H9v6H5l7 7zM5 18v2h14v-2z";
pub const LOGOUT_ICON_PATH: &str = "m17 7-1.4 1.4 2.6 2.6H8v2h10.2l-2.6 2.6L17 17l5-5zM4 5h8V3H4a2 2 0 0 0-2 2v14c0 1.1.9 2 2 2h8v-2H4z";
pub const END_ICON_PATH: &str = "M20.5 5.2 19.1 3.5A1.5 1.5 0 0 0 18 3H6c-.5 0-.9.2-1.2.5L3.5 5.2C3.2 5.6 3 6 3 6.5V19c0 1.1.9 2 2 2h14a2 2 0 0 0 2-2V6.5c0-.5-.2-.9-.5-1.3zM12 17.5 6.5 12H10v-2h4v2h3.5zM5.1 5l.8-1h12l.9 1z";
/// A smiling face: the emoji picker.
pub const EMOJI_ICON_PATH: &str = "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 18a8 8 0 1 1 0-16 8 8 0 0 1 0 16zm-3.5-9a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3zm7 0a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3zM12 17.5c2.3 0 4.3-1.5 5.1-3.5H6.9c.8 2 2.8 3.5 5.1 3.5z";
/// A paperclip: attach a file.
pub const ATTACH_ICON_PATH: &str = "M16.5 6v11.5a4 4 0 0 1-8 0V5a2.5 2.5 0 0 1 5 0v10.5a1 1 0 0 1-2 0V6H10v9.5a2.5 2.5 0 0 0 5 0V5a4 4 0 0 0-8 0v12.5a5.5 5.5 0 0 0 11 0V6z";
/// A tick: the message is stored. Two: delivered (coloured when read). A clock: on its way.
pub const TICK_ICON_PATH: &str = "M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z";
pub const TICKS_ICON_PATH: &str = "m18 7-1.4-1.4-6.3 6.3 1.4 1.4zm4.2-1.4L11.7 16.2 7.5 12l-1.4 1.4 5.6 5.6 12-12zM.4 13.4 6 19l1.4-1.4L1.8 12z";
pub const CLOCK_ICON_PATH: &str = "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 18a8 8 0 1 1 0-16 8 8 0 0 1 0 16zm.5-13H11v6l5.2 3.2.8-1.3-4.5-2.7z";
pub const SEND_ICON_PATH: &str = "M3 20.5 21 12 3 3.5 3 10l12 2-12 2z";

/// A five-pointed star of the rating, an SVG path in a 24×24 view box.
pub const STAR_ICON_PATH: &str =
    "M12 2.5 14.9 8.6 21.5 9.3 16.6 13.8 18 20.3 12 17 6 20.3 7.4 13.8 2.5 9.3 9.1 8.6z";

/// The `style` of the widget's root element: theme colours, launcher size, bubbles and font.
pub fn theme_style(s: &Settings) -> String {
    let mut style = format!(
        "--tdw-theme:{};--tdw-on-theme:{};--tdw-launcher-w:{};--tdw-launcher-h:{};",
        s.theme_color,
        readable_foreground(&s.theme_color, &s.theme_foreground_color),
        s.launcher_width,
        s.launcher_height
    );
    let optional = [
        ("--tdw-sent", &s.bubble_sent_background),
        ("--tdw-received", &s.bubble_received_background),
        ("--tdw-font-size", &s.font_size),
        ("--tdw-font", &s.font_family),
    ];
    for (name, value) in optional {
        if let Some(value) = value {
            style.push_str(&format!("{name}:{value};"));
        }
    }
    if s.bubble_sent_background.is_some() || s.bubble_sent_text_color.is_some() {
        let background = s.bubble_sent_background.as_ref().unwrap_or(&s.theme_color);
        let wanted = s.bubble_sent_text_color.as_deref().unwrap_or("#ffffff");
        style.push_str(&format!(
            "--tdw-on-sent:{};",
            readable_foreground(background, wanted)
        ));
    }
    // Over the theme's own received bubble (light or dark) only the theme's ink is sure to read.
    if let (Some(wanted), Some(background)) =
        (&s.bubble_received_text_color, &s.bubble_received_background)
    {
        style.push_str(&format!(
            "--tdw-on-received:{};",
            readable_foreground(background, wanted)
        ));
    }
    if let Some(shape) = &s.baloon_shape {
        style.push_str(&format!("--tdw-launcher-radius:{shape};"));
    }
    if s.theme_color_opacity < 100 {
        style.push_str(&format!(
            "--tdw-header-bg:linear-gradient(180grad,var(--tdw-theme),color-mix(in srgb,var(--tdw-theme) {}%,transparent));",
            s.theme_color_opacity
        ));
    }
    style.push_str(&button_style(s));
    style
}

/// The colours of buttons in messages (`buttonBackgroundColor`, `buttonTextColor` and their
/// hover twins), each text colour kept readable on its background.
fn button_style(s: &Settings) -> String {
    let mut style = String::new();
    let pairs = [
        (
            "--tdw-button-bg",
            "--tdw-button-ink",
            &s.button_background_color,
            &s.button_text_color,
        ),
        (
            "--tdw-button-hover-bg",
            "--tdw-button-hover-ink",
            &s.button_hover_background_color,
            &s.button_hover_text_color,
        ),
    ];
    for (bg_name, ink_name, background, ink) in pairs {
        if let Some(background) = background {
            style.push_str(&format!("{bg_name}:{background};"));
            if let Some(ink) = ink {
                style.push_str(&format!(
                    "{ink_name}:{};",
                    readable_foreground(background, ink)
                ));
            }
        }
    }
    style
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_light_theme_colour_gets_a_dark_foreground_and_optional_keys_appear_only_when_set() {
        let settings = Settings::resolve(
            &json!({"projectid": "p", "themeColor": "#ffff00", "fontSize": "18px"}),
            "/",
        )
        .unwrap();
        let style = theme_style(&settings);
        assert!(style.starts_with("--tdw-theme:#ffff00;--tdw-on-theme:#"));
        assert!(!style.contains("--tdw-on-theme:#ffffff"), "{style}");
        assert!(style.contains("--tdw-font-size:18px;"));
        assert!(!style.contains("--tdw-sent"));
    }

    #[test]
    fn bubble_text_colours_and_the_launcher_shape_follow_the_settings_readably() {
        let settings = Settings::resolve(
            &json!({"projectid": "p", "bubbleSentBackground": "#000000", "bubbleSentTextColor": "#111111",
                    "bubbleReceivedBackground": "#ffffff", "bubbleReceivedTextColor": "#0b7a3e", "baloonShape": "12px"}),
            "/",
        )
        .unwrap();
        let style = theme_style(&settings);
        assert!(
            !style.contains("--tdw-on-sent:#111111"),
            "unreadable on black: another colour {style}"
        );
        assert!(style.contains("--tdw-on-received:#0b7a3e;"), "{style}");
        assert!(style.contains("--tdw-launcher-radius:12px;"));
        let lone = Settings::resolve(
            &json!({"projectid": "p", "bubbleReceivedTextColor": "#0b7a3e"}),
            "/",
        )
        .unwrap();
        assert!(
            !theme_style(&lone).contains("--tdw-on-received"),
            "without its background, the theme's ink stays (light and dark)"
        );
    }

    #[test]
    fn the_header_gradient_and_button_colours_appear_only_when_set_and_stay_readable() {
        let plain = Settings::resolve(&json!({"projectid": "p"}), "/").unwrap();
        let style = theme_style(&plain);
        assert!(
            !style.contains("--tdw-header-bg") && !style.contains("--tdw-button"),
            "{style}"
        );
        let set = Settings::resolve(
            &json!({"projectid": "p", "themeColorOpacity": 30, "buttonBackgroundColor": "#000000",
                    "buttonTextColor": "#111111", "buttonHoverBackgroundColor": "#ffffff", "buttonHoverTextColor": "#0b6bcb"}),
            "/",
        )
        .unwrap();
        let style = theme_style(&set);
        assert!(
            style.contains("color-mix(in srgb,var(--tdw-theme) 30%,transparent)"),
            "{style}"
        );
        assert!(style.contains("--tdw-button-bg:#000000;"));
        assert!(
            !style.contains("--tdw-button-ink:#111111"),
            "unreadable on black: {style}"
        );
        assert!(
            style.contains("--tdw-button-hover-bg:#ffffff;--tdw-button-hover-ink:#0b6bcb;"),
            "{style}"
        );
    }
}
