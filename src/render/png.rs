//! PNG export: the SVG rasterised by resvg, with the system's fonts so text is drawn.

use std::sync::OnceLock;

use resvg::{tiny_skia, usvg};

/// Fonts are found once per process: scanning the system's font folders is the slow part.
fn options() -> &'static usvg::Options<'static> {
    static OPTIONS: OnceLock<usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut o = usvg::Options::default();
        o.fontdb_mut().load_system_fonts();
        o
    })
}

/// The pixel size of `svg` at `scale`: its width and height times `scale`, rounded up.
pub fn size(svg: &str, scale: f32) -> Result<(u32, u32), String> {
    let tree = usvg::Tree::from_str(svg, options()).map_err(|e| e.to_string())?;
    Ok(scaled(tree.size(), scale))
}

fn scaled(size: usvg::Size, scale: f32) -> (u32, u32) {
    (
        (size.width() * scale).ceil() as u32,
        (size.height() * scale).ceil() as u32,
    )
}

/// `svg` as PNG bytes, `scale` pixels per SVG pixel, on the SVG's own background.
pub fn png(svg: &str, scale: f32) -> Result<Vec<u8>, String> {
    if !(scale.is_finite() && scale > 0.0) {
        return Err(format!("scale {scale} is not a positive number"));
    }
    let tree = usvg::Tree::from_str(svg, options()).map_err(|e| e.to_string())?;
    let (w, h) = scaled(tree.size(), scale);
    let mut pixmap = tiny_skia::Pixmap::new(w, h)
        .ok_or_else(|| format!("a {w}×{h} image is too large to draw"))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| e.to_string())
}
