//! Generates the map's SDF glyph PBFs from the Noto fonts (SIL OFL 1.1; Debian
//! `fonts-noto-core`) into `ui/public/glyphs/{fontstack}/{start}-{end}.pbf`.
//!
//! Each fontstack merges Noto Sans with Noto Sans Arabic, so Latin, Pashto, Dari and
//! Urdu names render from one stack. Only the 256-codepoint blocks the map's labels
//! use are written (Latin, Arabic, general punctuation incl. the en dash, Arabic
//! presentation forms). The output is committed; rerun after changing fonts or ranges:
//!
//! ```text
//! cargo run --release --manifest-path tools/glyphs/Cargo.toml -- [FONT_DIR] [OUT_DIR]
//! ```

use pbf_font_tools::prost::Message;
use pbf_font_tools::{combine_glyphs, glyph_range_for_font, Glyphs};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Fontstack name → font files in precedence order.
const STACKS: &[(&str, &[&str])] = &[
    (
        "Noto Sans Regular",
        &["NotoSans-Regular.ttf", "NotoSansArabic-Regular.ttf"],
    ),
    (
        "Noto Sans Bold",
        &["NotoSans-Bold.ttf", "NotoSansArabic-Bold.ttf"],
    ),
    (
        "Noto Sans Italic",
        &["NotoSans-Italic.ttf", "NotoSansArabic-Regular.ttf"],
    ),
];

/// First codepoints of the 256-blocks written.
const BLOCKS: &[u32] = &[
    0x0000, 0x0100, 0x0200, 0x0300, 0x0600, 0x0700, 0x2000, 0xFB00, 0xFC00, 0xFD00, 0xFE00,
];

fn run(font_dir: &Path, out_dir: &Path) -> Result<usize, String> {
    let mut written = 0;
    for (stack, files) in STACKS {
        let dir = out_dir.join(stack);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for &start in BLOCKS {
            let end = start + 255;
            let mut parts: Vec<Glyphs> = Vec::new();
            for f in *files {
                let path = font_dir.join(f);
                let g = glyph_range_for_font(&path, start, end, 24, 8, 0.25)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                parts.push(g);
            }
            let mut combined = combine_glyphs(parts).unwrap_or_default();
            // MapLibre looks glyphs up by range; name the stack as the style does.
            for s in &mut combined.stacks {
                s.name = (*stack).to_string();
                s.range = format!("{start}-{end}");
            }
            let file = dir.join(format!("{start}-{end}.pbf"));
            std::fs::write(&file, combined.encode_to_vec())
                .map_err(|e| format!("{}: {e}", file.display()))?;
            written += 1;
        }
    }
    Ok(written)
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let font_dir = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "/usr/share/fonts/truetype/noto".into()),
    );
    let out_dir = PathBuf::from(args.next().unwrap_or_else(|| "ui/public/glyphs".into()));
    match run(&font_dir, &out_dir) {
        Ok(n) => {
            println!("wrote {n} glyph files under {}", out_dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("glyphs: {e}");
            ExitCode::FAILURE
        }
    }
}
