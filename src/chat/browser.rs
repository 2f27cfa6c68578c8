//! Browser features only the chat uses: a notification tone and the browser's RegExp engine.

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

/// The browser's RegExp for `pattern` and `flags`, or `None` when it does not compile.
pub fn regex(pattern: &str, flags: &str) -> Option<js_sys::RegExp> {
    let constructor = js_sys::Reflect::get(&js_sys::global(), &"RegExp".into()).ok()?;
    let args = js_sys::Array::of2(&pattern.into(), &flags.into());
    let constructor: &js_sys::Function = wasm_bindgen::JsCast::unchecked_ref(&constructor);
    js_sys::Reflect::construct(constructor, &args)
        .ok()
        .map(wasm_bindgen::JsCast::unchecked_into)
}
