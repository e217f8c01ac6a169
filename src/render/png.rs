//! PNG export: the SVG rasterised by resvg, with the system's fonts so text is drawn.

use std::sync::OnceLock;

use resvg::{tiny_skia, usvg};

/// The most pixels a PNG may have. Drawing needs four bytes a pixel and resvg may hold a
/// second layer, so this keeps export under about 1 GiB; it is still a 10 000 × 10 000
/// image, a poster at 300 dots per inch.
pub const MAX_PIXELS: u64 = 100_000_000;

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
    scaled(tree.size(), scale)
}

/// The pixel size at `scale`, or why there would be too many pixels.
fn scaled(size: usvg::Size, scale: f32) -> Result<(u32, u32), String> {
    let (w, h) = (f64::from(size.width()), f64::from(size.height()));
    let s = f64::from(scale);
    let (pw, ph) = ((w * s).ceil(), (h * s).ceil());
    // Checked in floating point first: a huge scale must not wrap before it is refused.
    if pw * ph > MAX_PIXELS as f64 {
        let fits = ((MAX_PIXELS as f64 / (w * h)).sqrt() * 100.0).floor() / 100.0;
        let advice = if fits >= 0.01 {
            format!("use --scale {fits} or less, or draw it as SVG")
        } else {
            "draw it as SVG".to_string()
        };
        return Err(format!(
            "at scale {scale} it would be {pw}×{ph} pixels ({:.0} million), over the limit of {} million; {advice}",
            pw * ph / 1e6,
            MAX_PIXELS / 1_000_000
        ));
    }
    Ok((pw as u32, ph as u32))
}

/// `svg` as PNG bytes, `scale` pixels per SVG pixel, on the SVG's own background; refused
/// above [`MAX_PIXELS`] before any pixel is allocated.
pub fn png(svg: &str, scale: f32) -> Result<Vec<u8>, String> {
    if !(scale.is_finite() && scale > 0.0) {
        return Err(format!("scale {scale} is not a positive number"));
    }
    let tree = usvg::Tree::from_str(svg, options()).map_err(|e| e.to_string())?;
    let (w, h) = scaled(tree.size(), scale)?;
    let mut pixmap = tiny_skia::Pixmap::new(w, h)
        .ok_or_else(|| format!("a {w}×{h} image is too large to draw"))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| e.to_string())
}
