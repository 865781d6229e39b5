//! Side effects at the edge of the app: the clock, local storage, the
//! clipboard, downloads, the URL, file reading and timing figures. Nothing
//! here reaches the network.
//!
//! Off the web (native `cargo test`), the clock falls back to the system
//! time and every browser call is skipped.

use std::cell::Cell;

use wasm_bindgen::{JsCast, JsValue};

#[cfg(target_arch = "wasm32")]
fn performance() -> Option<web_sys::Performance> {
    web_sys::window()?.performance()
}

/// A monotonic clock in milliseconds (performance.now()).
pub fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        performance().map_or(0.0, |p| p.now())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    }
}

/// "Now" in epoch seconds: the default `aws:CurrentTime`.
pub fn now_seconds() -> i64 {
    #[cfg(target_arch = "wasm32")]
    {
        (js_sys::Date::now() / 1000.0) as i64
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
    }
}

thread_local! {
    static INPUT_AT: Cell<Option<f64>> = const { Cell::new(None) };
    static EVAL_MS: Cell<f64> = const { Cell::new(0.0) };
}

/// Called by an editor on input: the start of the keystroke-to-verdict time.
pub fn mark_input() {
    INPUT_AT.with(|c| c.set(Some(now_ms())));
}

pub fn record_eval_ms(ms: f64) {
    EVAL_MS.with(|c| c.set(ms));
}

fn set_global(name: &str, value: &JsValue) {
    if let Some(w) = web_sys::window() {
        let _ = js_sys::Reflect::set(&w, &JsValue::from_str(name), value);
    }
}

/// Called after every render: publishes `window.__trustwalkLastEvalMs`
/// and, after an input, `window.__trustwalkLastInputToRenderMs` (input
/// event → DOM updated) and `__trustwalkLastRenderAt` (its end, in
/// `performance.now()` time), for the timing scripts.
pub fn after_render() {
    if !cfg!(target_arch = "wasm32") {
        return;
    }
    set_global("__trustwalkLastEvalMs", &JsValue::from_f64(EVAL_MS.with(Cell::get)));
    if let Some(t0) = INPUT_AT.with(Cell::take) {
        let now = now_ms();
        set_global("__trustwalkLastInputToRenderMs", &JsValue::from_f64(now - t0));
        set_global("__trustwalkLastRenderAt", &JsValue::from_f64(now));
        let count = js_sys::Reflect::get(&web_sys::window().map_or(JsValue::UNDEFINED, Into::into), &JsValue::from_str("__trustwalkInputs"))
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0);
        set_global("__trustwalkInputs", &JsValue::from_f64(count + 1.0));
    }
}

/// Publishes how long reading AWS's catalogue took, as
/// `window.__trustwalkCatalogueMs` (for scripts/bench-web.mjs).
pub fn record_catalogue_ms(ms: f64) {
    if cfg!(target_arch = "wasm32") {
        set_global("__trustwalkCatalogueMs", &JsValue::from_f64(ms));
    }
}

/// For scripts/bench-web.mjs: how long the last access map or comparison
/// took, from the request to the answer on the page (`__trustwalkReviewMs`).
pub fn record_review_ms(ms: f64) {
    if cfg!(target_arch = "wasm32") {
        set_global("__trustwalkReviewMs", &JsValue::from_f64(ms));
    }
}

/// `performance.mark(name)`, once the example's verdicts are on screen.
pub fn mark(name: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(p) = performance() {
        let _ = p.mark(name);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = name;
}

fn storage() -> Option<web_sys::Storage> {
    if !cfg!(target_arch = "wasm32") {
        return None;
    }
    web_sys::window()?.local_storage().ok()?
}

pub fn load(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

/// Stores a value; `Err` says why it could not be kept (quota, privacy mode).
pub fn store(key: &str, value: &str) -> Result<(), String> {
    let s = storage().ok_or("this browser does not let the page keep data")?;
    s.set_item(key, value).map_err(|_| "this browser refused to keep the saved work (is its storage full?)".to_string())
}

/// Removes a stored value.
pub fn remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// The stored keys that start with `prefix`, sorted.
pub fn keys_with_prefix(prefix: &str) -> Vec<String> {
    let Some(s) = storage() else { return Vec::new() };
    let n = s.length().unwrap_or(0);
    let mut keys: Vec<String> = (0..n).filter_map(|i| s.key(i).ok().flatten()).filter(|k| k.starts_with(prefix)).collect();
    keys.sort_unstable();
    keys
}

/// Keeps a set-aside copy of saved data under a key of its own (never
/// over an earlier copy). `Err` when the browser refused it.
pub fn keep_set_aside(copy: &trustwalk_playground::storage::SetAside) -> Result<String, String> {
    use trustwalk_playground::storage::set_aside_key;
    let key = set_aside_key(copy, |k| load(k).is_some());
    store(&key, &copy.to_storage())?;
    Ok(key)
}

/// Every set-aside copy of saved data: (key, copy), oldest first; the
/// single slot of earlier versions included.
pub fn set_aside_copies() -> Vec<(String, trustwalk_playground::storage::SetAside)> {
    use trustwalk_playground::storage::{SetAside, LEGACY_CORRUPT_KEY, SET_ASIDE_PREFIX};
    let mut keys = keys_with_prefix(SET_ASIDE_PREFIX);
    if load(LEGACY_CORRUPT_KEY).is_some() {
        keys.insert(0, LEGACY_CORRUPT_KEY.to_string());
    }
    keys.into_iter().filter_map(|k| load(&k).map(|v| (k.clone(), SetAside::from_storage(&k, &v)))).collect()
}

/// The URL fragment (`#s=…`), or "".
pub fn location_hash() -> String {
    if !cfg!(target_arch = "wasm32") {
        return String::new();
    }
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// Whether the page is shown inside a frame of another origin (another
/// site's page): reading that page's address is then refused.
pub fn framed_by_other_origin() -> bool {
    if !cfg!(target_arch = "wasm32") {
        return false;
    }
    let Some(w) = web_sys::window() else { return false };
    let own = w.location().origin().unwrap_or_default();
    match w.top() {
        Ok(Some(top)) => top.location().origin().map_or(true, |o| o != own),
        // No top window to read: treat it as framed, which is the safe side.
        _ => true,
    }
}

/// The page's address without its fragment: what share links start with.
pub fn base_url() -> String {
    if !cfg!(target_arch = "wasm32") {
        return "https://example.invalid/".into();
    }
    let Some(loc) = web_sys::window().map(|w| w.location()) else { return String::new() };
    let origin = loc.origin().unwrap_or_default();
    let path = loc.pathname().unwrap_or_default();
    let search = loc.search().unwrap_or_default();
    format!("{origin}{path}{search}")
}

/// Drops the fragment from the address bar without reloading (after a
/// share link was opened and joined the saved work, a reload shows the
/// saved, edited copy).
pub fn clear_hash() {
    let Some(w) = web_sys::window() else { return };
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&base_url()));
    }
}

/// Copies text; the result says whether the browser allowed it.
pub fn copy_text(text: &str, done: impl FnOnce(bool) + 'static) {
    let Some(w) = web_sys::window() else {
        done(false);
        return;
    };
    let promise = w.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::spawn_local(async move {
        let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
        done(ok);
    });
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `CompressionStream` (web-sys has it only behind its unstable-API flag).
    #[wasm_bindgen(extends = js_sys::Object)]
    type CompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, JsValue>;
}

/// Raw-deflates bytes (RFC 1951) with the browser's own
/// `CompressionStream("deflate-raw")`: share links are compressed by the
/// browser's zlib rather than by a second deflate encoder in the app's
/// WebAssembly (9 KB gzipped). They are decoded, with a bound on the output,
/// by `trustwalk_playground::share::decode`.
pub async fn deflate_raw(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let fail = |_| "this browser could not compress the link (it needs CompressionStream: Chrome 103, Firefox 113, Safari 16.4 or later)".to_string();
    let deflate = CompressionStream::new("deflate-raw").map_err(fail)?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(fail)?;
    // A CompressionStream is a { readable, writable } pair.
    let compressed = blob.stream().pipe_through(deflate.unchecked_ref::<web_sys::ReadableWritablePair>());
    let response = web_sys::Response::new_with_opt_readable_stream(Some(&compressed)).map_err(fail)?;
    let buffer = wasm_bindgen_futures::JsFuture::from(response.array_buffer().map_err(fail)?).await.map_err(fail)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Fetches a file the app is served with (a path relative to the page, on
/// its own origin: the Content-Security-Policy allows nothing else) and
/// gives its bytes, or why it could not.
pub fn fetch_own(path: String, done: impl FnOnce(Result<Vec<u8>, String>) + 'static) {
    wasm_bindgen_futures::spawn_local(async move {
        done(fetch_bytes(&path).await);
    });
}

async fn fetch_bytes(path: &str) -> Result<Vec<u8>, String> {
    let fail = |_| format!("`{path}` could not be loaded from this site");
    let w = web_sys::window().ok_or("no window")?;
    let response: web_sys::Response = wasm_bindgen_futures::JsFuture::from(w.fetch_with_str(path)).await.map_err(fail)?.unchecked_into();
    if !response.ok() {
        return Err(format!("`{path}` could not be loaded from this site (HTTP {})", response.status()));
    }
    let buffer = wasm_bindgen_futures::JsFuture::from(response.array_buffer().map_err(fail)?).await.map_err(fail)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Offers text as a file download (a Blob URL: nothing leaves the page).
pub fn download(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    let fail = |_| format!("the download of {file_name} could not start");
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a").map_err(fail)?.unchecked_into();
    a.set_href(&url);
    a.set_download(file_name);
    a.set_attribute("hidden", "").map_err(fail)?;
    if let Some(body) = document.body() {
        let _ = body.append_child(&a);
        a.click();
        let _ = body.remove_child(&a);
    }
    // Revoke once the browser has taken the file.
    let revoke = gloo_timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    revoke.forget();
    Ok(())
}

/// Reads a picked file as UTF-8 text. Its bytes are decoded here rather
/// than by `File.text()`, which would silently turn invalid UTF-8 into
/// U+FFFD: the message gives the byte offset, line and column instead.
pub fn read_file(file: web_sys::File, done: impl FnOnce(Result<String, String>) + 'static) {
    let name = file.name();
    let promise = file.array_buffer();
    wasm_bindgen_futures::spawn_local(async move {
        let result = match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(buffer) => {
                let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                trustwalk_core::json::utf8(&bytes)
                    .map(str::to_string)
                    .map_err(|e| format!("the file {name} cannot be opened: {}", trustwalk_playground::problem::one_line(&e)))
            }
            Err(_) => Err(format!("the file {name} could not be read")),
        };
        done(result);
    });
}

pub const THEME_KEY: &str = "trustwalk.theme";

/// Applies "light", "dark" or "" (follow the system) to `<html data-theme>`.
pub fn apply_theme(theme: &str) {
    if !cfg!(target_arch = "wasm32") {
        return;
    }
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = if theme.is_empty() { root.remove_attribute("data-theme") } else { root.set_attribute("data-theme", theme) };
    }
}

/// Whether the system asks for dark colours.
pub fn system_prefers_dark() -> bool {
    web_sys::window().and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten()).is_some_and(|m| m.matches())
}

/// Writes a visible message into the page when the app panics, so that a
/// bug never leaves a dead page without a word.
pub fn show_panic_banner(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = document.body() else { return };
    if document.get_element_by_id("panic-banner").is_some() {
        return;
    }
    let Ok(banner) = document.create_element("div") else { return };
    banner.set_id("panic-banner");
    let _ = banner.set_attribute("role", "alert");
    let _ = banner.set_attribute("data-testid", "panic-banner");
    let _ = banner.set_attribute("class", "panic-banner");
    let text = format!(
        "Trustwalk stopped because of a bug: {message}. Your work up to the last few seconds is kept in this browser: reload the page to go on."
    );
    if let Ok(p) = document.create_element("p") {
        p.set_text_content(Some(&text));
        let _ = banner.append_child(&p);
    }
    if let Ok(button) = document.create_element("button") {
        button.set_text_content(Some("Reload"));
        let _ = button.set_attribute("type", "button");
        // A listener, not an inline `onclick`: the page's
        // Content-Security-Policy allows no inline script.
        gloo_events::EventListener::new(&button, "click", |_| {
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        })
        .forget();
        let _ = banner.append_child(&button);
    }
    let _ = body.insert_before(&banner, body.first_child().as_ref());
}
