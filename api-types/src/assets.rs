//! How the SPA's files are named and cached. The build writes them, the local
//! server serves them (`local/src/spa.rs`) and the AWS deploy uploads them
//! (`xtask/src/deploy.rs`) by these rules, so a browser caches the same way in
//! both deployments.

/// `Cache-Control` for a file whose name carries its content hash: it never
/// changes, so browsers and CloudFront keep it for a year.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// `Cache-Control` for every other file (`index.html`, `config.json`, the
/// service worker, icons): revalidated on every load, so a new deploy shows at once.
pub const REVALIDATE: &str = "no-cache";

/// The `Cache-Control` a file of the SPA is served with.
pub fn cache_control(file_name: &str) -> &'static str {
    if is_content_hashed(file_name) {
        IMMUTABLE
    } else {
        REVALIDATE
    }
}

/// Trunk names hashed output `stem-<hash>` followed by `.ext` or `_bg.wasm`,
/// e.g. `app-1f2e3d4c5b6a7980_bg.wasm`. The hash is a 64-bit number in hex
/// without leading zeros: 16 digits, and fewer one time in sixteen or so.
pub fn is_content_hashed(file_name: &str) -> bool {
    file_name.match_indices('-').any(|(dash, _)| {
        let hash: String = file_name[dash + 1..]
            .chars()
            .take_while(|c| c.is_ascii_hexdigit())
            .collect();
        let after = file_name[dash + 1 + hash.len()..].chars().next();
        (12..=16).contains(&hash.len()) && matches!(after, Some('.' | '_'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_trunks_hashed_names_only() {
        for hashed in [
            "app-1f2e3d4c5b6a7980_bg.wasm",
            "app-dbd004d347eb864_bg.wasm",
            "app-1f2e3d4c5b6a7980.js",
            "main-0123456789abcdef.css",
            "boot-0123456789abcdef.js",
        ] {
            assert!(is_content_hashed(hashed), "{hashed}");
            assert_eq!(cache_control(hashed), IMMUTABLE);
        }
        for plain in [
            "index.html",
            "sw.js",
            "config.json",
            "app-1f2e3d4c5b6.js",
            "app-1f2e3d4c5b6a79801.js",
            "icon-192.png",
            "pipeline_web_bg.wasm",
            "",
        ] {
            assert!(!is_content_hashed(plain), "{plain}");
            assert_eq!(cache_control(plain), REVALIDATE);
        }
    }
}
