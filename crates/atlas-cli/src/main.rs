//! `atlas`: the Border Atlas command line.
fn main() -> anyhow::Result<()> {
    println!("atlas {}", env!("CARGO_PKG_VERSION"));
    Ok(())
}
