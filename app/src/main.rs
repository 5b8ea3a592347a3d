//! The wasm entry point Trunk bundles.

fn main() {
    app::start();
}
