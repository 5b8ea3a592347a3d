//! Photos in the browser before they are uploaded: the pool of Web Workers that
//! runs the wasm pipeline (hash, EXIF, decode, orient, resize, encode) off the UI
//! thread, and what it hands back for each file; and a video's poster frame,
//! which only the page can draw.

mod pool;
pub mod poster;
mod processed;

pub use pool::{PhotoPool, PoolOptions};
pub use processed::{PhotoError, Preview, Previews, ProcessedPhoto};
