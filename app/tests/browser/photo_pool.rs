//! The worker pool against stand-in workers (module scripts from blob URLs) that
//! answer, refuse, trap, throw, or hang on cue, picked by the file's name: each
//! failure must stay with its own file, and the files after it must still finish.

use std::time::Duration;

use super::blob_url;
use app::photos::{PhotoError, PhotoPool, PoolOptions};
use futures::future::join_all;
use wasm_bindgen_test::wasm_bindgen_test;

/// Answers like photo-worker.js; `refuse`, `trap`, `throw` and `hang` misbehave.
/// Each worker counts the files it has seen, so a replaced worker is visible.
const STAND_IN: &str = r#"
let seen = 0;
self.onmessage = ({ data: { job, file } }) => {
  seen += 1;
  const name = file.name;
  if (name === 'hang') return;
  if (name === 'throw') throw new Error('stand-in blew up');
  if (name === 'refuse') { postMessage({ job, ok: false, error: 'the file is empty', fatal: false }); return; }
  if (name === 'trap') { postMessage({ job, ok: false, error: 'RuntimeError: unreachable', fatal: true }); return; }
  const thumb = { blob: new Blob(['t'], { type: 'image/webp' }), width: 400, height: 300 };
  const web = { blob: new Blob(['web'], { type: 'image/webp' }), width: 2048, height: 1536 };
  postMessage({ job, ok: true, id: `${name}:${seen}`, format: 'jpeg', width: 3024, height: 4032,
    metadata: JSON.stringify({ orientation: 6, taken_at: { local: '2019-09-26T16:38:00', offset: '+02:00' },
      gps: null, camera: 'Samsung SM-J320F', lens: null, exposure_time: '1/50 s', f_number: 2.2, iso: 100, focal_length: 3.3 }),
    web, thumb, placeholder: 'AAAA', noPreview: null, timings: { total: 12.5 } });
};
"#;

fn pool(workers: usize, time_limit_ms: u64) -> PhotoPool {
    PhotoPool::new(PoolOptions {
        script_url: blob_url(STAND_IN, "text/javascript"),
        workers,
        time_limit: Duration::from_millis(time_limit_ms),
    })
}

fn file(name: &str) -> web_sys::File {
    let parts = js_sys::Array::of1(&"bytes".into());
    web_sys::File::new_with_str_sequence(&parts, name).expect("file")
}

#[wasm_bindgen_test]
async fn answers_come_back_as_photos_with_metadata_and_previews() {
    let pool = pool(2, 5_000);
    let photo = pool.process(file("a.jpg")).await.expect("processed");
    assert_eq!(photo.id, "a.jpg:1");
    assert_eq!(photo.format, "jpeg");
    assert_eq!(photo.metadata.orientation, 6);
    let taken = photo.metadata.taken_at.expect("date");
    assert_eq!(
        (taken.local.as_str(), taken.offset.as_deref()),
        ("2019-09-26T16:38:00", Some("+02:00"))
    );
    let previews = photo.previews.expect("previews");
    assert_eq!((previews.web.width, previews.web.height), (2048, 1536));
    assert_eq!((previews.thumb.width, previews.thumb.height), (400, 300));
    assert_eq!(previews.thumb.blob.type_(), "image/webp");
    assert_eq!(photo.no_preview, None);
    assert_eq!(photo.size, Some((3024, 4032)));
    assert_eq!(pool.pending(), 0);
}

#[wasm_bindgen_test]
async fn a_queue_longer_than_the_pool_is_worked_through_in_parallel() {
    let pool = pool(2, 5_000);
    let names: Vec<String> = (0..9).map(|n| format!("{n}.jpg")).collect();
    let results = join_all(names.iter().map(|name| pool.process(file(name)))).await;
    for (name, result) in names.iter().zip(results) {
        let id = result.expect("processed").id;
        assert!(id.starts_with(&format!("{name}:")), "{name} got {id}");
    }
    assert_eq!(pool.pending(), 0);
}

#[wasm_bindgen_test]
async fn a_refused_file_fails_alone_and_the_worker_carries_on() {
    let pool = pool(1, 5_000);
    let (refused, next) = futures::join!(pool.process(file("refuse")), pool.process(file("b.jpg")));
    assert_eq!(
        refused.expect_err("refused"),
        PhotoError::Unreadable("the file is empty".into())
    );
    assert_eq!(
        next.expect("next file").id,
        "b.jpg:2",
        "the same worker went on"
    );
}

#[wasm_bindgen_test]
async fn a_trapped_worker_is_replaced_before_the_next_file() {
    let pool = pool(1, 5_000);
    let (trapped, next) = futures::join!(pool.process(file("trap")), pool.process(file("b.jpg")));
    assert!(
        matches!(trapped, Err(PhotoError::Crashed(ref why)) if why.contains("unreachable")),
        "{trapped:?}"
    );
    assert_eq!(
        next.expect("next file").id,
        "b.jpg:1",
        "a fresh worker took the next file"
    );
}

#[wasm_bindgen_test]
async fn an_uncaught_error_in_the_worker_fails_that_file_only() {
    let pool = pool(1, 5_000);
    let (thrown, next) = futures::join!(pool.process(file("throw")), pool.process(file("b.jpg")));
    let error = thrown.expect_err("crashed");
    assert!(
        matches!(error, PhotoError::Crashed(ref why) if why.contains("stand-in blew up")),
        "{error:?}"
    );
    assert!(error.user_message().contains("crashed"));
    assert_eq!(next.expect("next file").id, "b.jpg:1");
}

#[wasm_bindgen_test]
async fn a_file_that_hangs_is_stopped_at_the_time_limit() {
    let pool = pool(1, 300);
    let (hung, next) = futures::join!(pool.process(file("hang")), pool.process(file("b.jpg")));
    assert_eq!(
        hung.expect_err("timed out"),
        PhotoError::TimedOut { seconds: 1 }
    );
    assert_eq!(
        next.expect("next file").id,
        "b.jpg:1",
        "the hung worker was terminated and replaced"
    );
}

#[wasm_bindgen_test]
async fn a_worker_script_that_cannot_load_fails_each_file_with_a_reason() {
    let pool = PhotoPool::new(PoolOptions {
        script_url: blob_url("this is not javascript (", "text/javascript"),
        workers: 1,
        time_limit: Duration::from_millis(5_000),
    });
    let error = pool.process(file("a.jpg")).await.expect_err("no worker");
    assert!(matches!(error, PhotoError::Crashed(_)), "{error:?}");
    assert!(
        pool.process(file("b.jpg")).await.is_err(),
        "and the next file too, without hanging"
    );
}
