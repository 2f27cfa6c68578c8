//! Uploading a file as the Tiledesk widget does (`POST {apiUrl}{projectId}/files/chat`, the file in
//! the form field `file`), through XMLHttpRequest so that the visitor sees its progress.

use futures::channel::oneshot;
use serde::Deserialize;
use tiledesk_protocol::ErrorBody;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::api::ApiError;

/// The answer to an upload: where the server keeps the file.
#[derive(Deserialize)]
struct Uploaded {
    filename: String,
}

/// Uploads `file` for `project_id`; `progress` hears the share sent so far (0–100). Resolves to
/// the stored file's name, URL-encoded for `files?path=`.
pub async fn upload(
    base: &str,
    token: &str,
    project_id: &str,
    file: &web_sys::File,
    progress: impl Fn(u8) + 'static,
) -> Result<String, ApiError> {
    let url = format!(
        "{base}{}/files/chat",
        js_sys::encode_uri_component(project_id)
    );
    let request = web_sys::XmlHttpRequest::new().map_err(|_| ApiError::Network)?;
    request.open("POST", &url).map_err(|_| ApiError::Network)?;
    request
        .set_request_header("Authorization", token)
        .map_err(|_| ApiError::Network)?;
    let form = web_sys::FormData::new().map_err(|_| ApiError::Network)?;
    form.append_with_blob_and_filename("file", file, &file.name())
        .map_err(|_| ApiError::Network)?;
    let on_progress =
        Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |event: web_sys::ProgressEvent| {
            if event.length_computable() && event.total() > 0.0 {
                progress((event.loaded() * 100.0 / event.total()).clamp(0.0, 100.0) as u8);
            }
        });
    if let Ok(upload) = request.upload() {
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    }
    let (done, finished) = oneshot::channel::<()>();
    let done = std::cell::Cell::new(Some(done));
    let on_end = Closure::<dyn Fn()>::new(move || {
        if let Some(done) = done.take() {
            let _ = done.send(());
        }
    });
    request.set_onloadend(Some(on_end.as_ref().unchecked_ref()));
    request
        .send_with_opt_form_data(Some(&form))
        .map_err(|_| ApiError::Network)?;
    let _ = finished.await;
    let status = request.status().unwrap_or(0);
    let body = request.response_text().ok().flatten().unwrap_or_default();
    match status {
        0 => Err(ApiError::Network),
        200..=299 => serde_json::from_str::<Uploaded>(&body)
            .map(|answer| String::from(js_sys::encode_uri_component(&answer.filename)))
            .map_err(|_| ApiError::Unreadable),
        401 => Err(ApiError::Unauthorized),
        status => Err(ApiError::Refused {
            status,
            reason: serde_json::from_str::<ErrorBody>(&body)
                .ok()
                .and_then(|error| error.text().map(str::to_owned)),
        }),
    }
}
