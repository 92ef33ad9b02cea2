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

/// The system's "open this URL" command.
fn opener(url: &str) -> std::process::Command {
    #[cfg(target_os = "windows")]
    {
        let mut c = std::process::Command::new("rundll32");
        c.args(["url.dll,FileProtocolHandler", url]);
        c
    }
    #[cfg(target_os = "macos")]
    {
        let mut c = std::process::Command::new("open");
        c.arg(url);
        c
    }
    #[cfg(not(any(target_os = "windows", target_os = "macos")))]
    {
        let mut c = std::process::Command::new("xdg-open");
        c.arg(url);
        c
    }
}

#[tauri::command]
pub fn open_source_url(url: String) -> AppResult<()> {
    let u = check_url(&url)?;
    opener(u)
        .spawn()
        .map(|_| ())
        .map_err(|e| AppError::Engine(format!("could not start the browser: {e}")))
}
