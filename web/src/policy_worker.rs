//! The worker's side of `trustwalk_playground::worker`: reads AWS's
//! catalogue from the app's own folder, answers the page's requests with a
//! [`Checker`] and posts the answers back. Only bytes are moved here; the
//! logic is the playground crate's (tested natively).

use std::cell::RefCell;

use js_sys::Uint8Array;
use trustwalk_playground::worker::{decode, encode, Checker, Request, Response};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// The file of AWS's catalogue, beside the app (index.html copies it).
const CATALOGUE_FILE: &str = "catalogue.json";

thread_local! {
    static CHECKER: RefCell<Checker> = RefCell::new(Checker::new());
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(response: &Response) {
    let bytes = encode(response);
    let _ = scope().post_message(&Uint8Array::from(bytes.as_slice()));
}

fn now_ms() -> f64 {
    scope().performance().map_or(0.0, |p| p.now())
}

/// Listens to the page, tells it so, then fetches and reads the catalogue.
pub fn run() {
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(|e: MessageEvent| {
        let bytes = Uint8Array::new(&e.data()).to_vec();
        match decode::<Request>(&bytes) {
            // A map posts its progress as it goes (the page stays free).
            Ok(request) => CHECKER.with(|c| c.borrow_mut().handle_with(request, &mut |r| post(&r))),
            Err(e) => post(&Response::Refused(e)),
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&Response::Ready);
    wasm_bindgen_futures::spawn_local(async {
        let bytes = fetch_bytes(CATALOGUE_FILE).await;
        let out = CHECKER.with(|c| c.borrow_mut().catalogue_arrived(bytes, &now_ms));
        for r in &out {
            post(r);
        }
    });
}

async fn fetch_bytes(path: &str) -> Result<Vec<u8>, String> {
    let fail = |_| format!("`{path}` could not be loaded from this site");
    let response: web_sys::Response = wasm_bindgen_futures::JsFuture::from(scope().fetch_with_str(path)).await.map_err(fail)?.unchecked_into();
    if !response.ok() {
        return Err(format!("`{path}` could not be loaded from this site (HTTP {})", response.status()));
    }
    let buffer = wasm_bindgen_futures::JsFuture::from(response.array_buffer().map_err(fail)?).await.map_err(fail)?;
    Ok(Uint8Array::new(&buffer).to_vec())
}
