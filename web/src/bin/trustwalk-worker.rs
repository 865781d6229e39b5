//! The app's Web Worker (built by Trunk from index.html's
//! `data-bin="trustwalk-worker" data-type="worker"`, started by
//! web/policy-worker.js): the policy checks, AWS's catalogue, the managed
//! policies, the grants and the editor's completion, off the page's thread
//! and out of the page's WebAssembly. See `policy_worker.rs`.

#[path = "../policy_worker.rs"]
mod policy_worker;

fn main() {
    policy_worker::run();
}
