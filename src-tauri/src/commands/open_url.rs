//! Open a source's URL in the system browser (the page asks the researcher first).
//! Only absolute `http`/`https` URLs without credentials or control characters pass.

use crate::state::{AppError, AppResult};

/// The URL if it is safe to hand to the system browser.
pub fn check_url(url: &str) -> AppResult<&str> {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or_else(|| AppError::BadArgument("only http and https links are opened".into()))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if u.len() > 2048
        || host.is_empty()
        || host.contains('@')
        || url.chars().any(char::is_control)
        || u.chars().any(char::is_whitespace)
    {
        return Err(AppError::BadArgument("not a plain web address".into()));
    }
    Ok(u)
}

#[tauri::command]
pub fn open_source_url(url: String) -> AppResult<()> {
    let u = check_url(&url)?;
    let program = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    #[cfg(target_os = "windows")]
    let result = std::process::Command::new("rundll32")
        .args(["url.dll,FileProtocolHandler", u])
        .spawn();
    #[cfg(not(target_os = "windows"))]
    let result = std::process::Command::new(program).arg(u).spawn();
    let _ = program;
    result
        .map(|_| ())
        .map_err(|e| AppError::Engine(format!("could not start the browser: {e}")))
}
