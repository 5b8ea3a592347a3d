//! The provider's two pages: the login form and the error page. Plain HTML with
//! one stylesheet, nothing inline (the CSP allows none); every value escaped.

use axum::{
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};

/// The stylesheet both pages use, served at [`STYLESHEET_PATH`].
pub const STYLESHEET: &str = include_str!("login.css");
pub const STYLESHEET_PATH: &str = "/oauth2/login.css";
/// The app's icon, so the login page looks like Shoebox (and browsers ask for no favicon.ico).
pub const ICON: &str = include_str!("../../../assets/icon.svg");
pub const ICON_PATH: &str = "/oauth2/icon.svg";

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<meta name=\"referrer\" content=\"no-referrer\">\
<title>{title} · Shoebox</title><link rel=\"icon\" type=\"image/svg+xml\" href=\"{ICON_PATH}\">\
<link rel=\"stylesheet\" href=\"{STYLESHEET_PATH}\"></head>\
<body><main class=\"card\">{body}</main></body></html>",
        title = escape(title),
    );
    (status, Html(html)).into_response()
}

/// The login form for the waiting authorization request `login_id`.
pub fn login_form(
    status: StatusCode,
    login_id: &str,
    username: &str,
    error: Option<&str>,
) -> Response {
    let error = error.map_or(String::new(), |message| {
        format!("<p class=\"error\" role=\"alert\">{}</p>", escape(message))
    });
    let body = format!(
        "<h1>Sign in to Shoebox</h1>{error}\
<form method=\"post\" action=\"/login\">\
<input type=\"hidden\" name=\"login\" value=\"{login_id}\">\
<label>Username<input name=\"username\" autocomplete=\"username\" autocapitalize=\"none\" spellcheck=\"false\" required autofocus value=\"{username}\"></label>\
<label>Password<input type=\"password\" name=\"password\" autocomplete=\"current-password\" required></label>\
<button type=\"submit\">Sign in</button></form>\
<p class=\"hint\">This Shoebox runs on its owner's computer. The owner adds people with <code>cargo xtask user add NAME</code>.</p>",
        login_id = escape(login_id),
        username = escape(username),
    );
    page(status, "Sign in", &body)
}

/// A dead end with a way back to the app. Never redirects anywhere it was told to.
pub fn error_page(status: StatusCode, title: &str, message: &str) -> Response {
    let body = format!(
        "<h1>{}</h1><p>{}</p><a class=\"button\" href=\"/\">Back to Shoebox</a>",
        escape(title),
        escape(message)
    );
    page(status, title, &body)
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape(r#"<img src=x onerror="alert('1')">&"#),
            "&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;"
        );
    }
}
