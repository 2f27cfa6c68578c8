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

/// The paper plane of the send button, an SVG path in a 24×24 view box.
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
}
