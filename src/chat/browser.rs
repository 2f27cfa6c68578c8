//! Browser features only the chat uses: a notification tone, saving a file the chat made, and the
//! browser's RegExp engine.

use wasm_bindgen::JsCast;

/// A short, soft two-note chime made with Web Audio (no sound file to download).
pub fn play_tone() {
    let Ok(context) = web_sys::AudioContext::new() else {
        return;
    };
    let now = context.current_time();
    for (index, frequency) in [880.0, 1320.0].into_iter().enumerate() {
        let (Ok(oscillator), Ok(gain)) = (context.create_oscillator(), context.create_gain())
        else {
            return;
        };
        let start = now + index as f64 * 0.12;
        oscillator.frequency().set_value(frequency);
        let _ = gain.gain().set_value_at_time(0.0001, start);
        let _ = gain
            .gain()
            .exponential_ramp_to_value_at_time(0.15, start + 0.02);
        let _ = gain
            .gain()
            .exponential_ramp_to_value_at_time(0.0001, start + 0.2);
        let _ = oscillator.connect_with_audio_node(&gain);
        let _ = gain.connect_with_audio_node(&context.destination());
        let _ = oscillator.start_with_when(start);
        let _ = oscillator.stop_with_when(start + 0.22);
    }
}

/// Offers `text` to the visitor as a download named `name` (a plain-text file).
pub fn download_text(name: &str, text: &str) {
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/plain;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let link = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(link) = link {
        link.set_href(&url);
        link.set_download(name);
        link.click();
    }
    // Long enough for the download to start.
    gloo_timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
}

/// The browser's RegExp for `pattern` and `flags`, or `None` when it does not compile.
pub fn regex(pattern: &str, flags: &str) -> Option<js_sys::RegExp> {
    let constructor = js_sys::Reflect::get(&js_sys::global(), &"RegExp".into()).ok()?;
    let args = js_sys::Array::of2(&pattern.into(), &flags.into());
    let constructor: &js_sys::Function = wasm_bindgen::JsCast::unchecked_ref(&constructor);
    js_sys::Reflect::construct(constructor, &args)
        .ok()
        .map(wasm_bindgen::JsCast::unchecked_into)
}
