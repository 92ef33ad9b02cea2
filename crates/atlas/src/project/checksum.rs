//! Size and SHA-256 of layer files, to notice when a referenced file has changed.

use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// Size in bytes and lowercase hex SHA-256 of a file, read in 1 MiB blocks.
///
/// ```
/// let p = std::env::temp_dir().join(format!("atlas-sum-{}.txt", std::process::id()));
/// std::fs::write(&p, b"abc").unwrap();
/// let (size, sha) = atlas::project::checksum::file_digest(&p).unwrap();
/// assert_eq!(size, 3);
/// assert_eq!(sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
/// std::fs::remove_file(&p).unwrap();
/// ```
pub fn file_digest(path: &Path) -> std::io::Result<(u64, String)> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        h.update(buf.get(..n).unwrap_or_default());
    }
    Ok((size, hex(&h.finalize())))
}

/// Lowercase hex SHA-256 of bytes.
pub fn bytes_digest(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(b: &[u8]) -> String {
    use std::fmt::Write;
    b.iter().fold(String::with_capacity(64), |mut s, x| {
        let _ = write!(s, "{x:02x}");
        s
    })
}
