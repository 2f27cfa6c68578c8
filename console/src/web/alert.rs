//! Telling the agent something arrived: a short beep (WebAudio, no sound file) and a desktop
//! notification when the agent allowed them.

use web_sys::{AudioContext, Notification, NotificationOptions, NotificationPermission};

/// Plays a short, quiet two-tone beep.
pub fn beep() {
    let Ok(context) = AudioContext::new() else {
        return;
    };
    let now = context.current_time();
    for (i, frequency) in [880.0_f32, 1320.0].into_iter().enumerate() {
        let (Ok(oscillator), Ok(gain)) = (context.create_oscillator(), context.create_gain())
        else {
            return;
        };
        let start = now + 0.12 * i as f64;
        oscillator.frequency().set_value(frequency);
        gain.gain().set_value(0.06);
        let _ = gain
            .gain()
            .exponential_ramp_to_value_at_time(0.001, start + 0.1);
        let _ = oscillator.connect_with_audio_node(&gain);
        let _ = gain.connect_with_audio_node(&context.destination());
        let _ = oscillator.start_with_when(start);
        let _ = oscillator.stop_with_when(start + 0.11);
    }
}

/// Whether desktop notifications may be asked for (the browser has them, the agent has not decided).
pub fn can_ask() -> bool {
    has_notifications() && Notification::permission() == NotificationPermission::Default
}

fn has_notifications() -> bool {
    web_sys::window()
        .is_some_and(|w| js_sys::Reflect::has(&w, &"Notification".into()).unwrap_or(false))
}

/// Asks the agent to allow desktop notifications.
pub fn ask() {
    if has_notifications() {
        let _ = Notification::request_permission();
    }
}

/// Shows a desktop notification when allowed.
pub fn notify(title: &str, body: &str) {
    if !has_notifications() || Notification::permission() != NotificationPermission::Granted {
        return;
    }
    let options = NotificationOptions::new();
    options.set_body(body);
    options.set_tag("tiledesk-console");
    let _ = Notification::new_with_options(title, &options);
}
