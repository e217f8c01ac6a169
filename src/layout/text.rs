//! Text measurement and wrapping for the fonts the SVG asks for.
//!
//! The SVG names [`FONT_STACK`], which starts with DejaVu Sans and Verdana: wide fonts with
//! near-identical metrics. Widths here are DejaVu Sans's advance widths, so text measured
//! here fits its box in those fonts and, with room to spare, in the narrower fallbacks
//! (Arial, Helvetica) a viewer without them would get.

/// The font stack written into every SVG.
pub const FONT_STACK: &str = "'DejaVu Sans', Verdana, 'Bitstream Vera Sans', sans-serif";

// Advance widths of ASCII 32..=126 in thousandths of an em, read from DejaVuSans.ttf.
const REGULAR: [u16; 95] = [
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632,
    575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685,
    611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579,
    278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];

// The same for DejaVuSans-Bold.ttf.
const BOLD: [u16; 95] = [
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696,
    696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683,
    683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771,
    724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665,
    343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
];

/// The width of `c` in thousandths of an em.
fn advance(c: char, bold: bool) -> u32 {
    let code = c as u32;
    if (32..=126).contains(&code) {
        let table = if bold { &BOLD } else { &REGULAR };
        return u32::from(table[(code - 32) as usize]);
    }
    match code {
        // Combining marks take no width of their own.
        0x300..=0x36F => 0,
        // East Asian wide characters and emoji are a full em in any font.
        0x1100..=0x115F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F000..=0x1FAFF
        | 0x20000..=0x3FFFD => 1000,
        // Other letters: as wide as DejaVu's widest Latin capitals, so estimates err large.
        _ => 860,
    }
}

/// The width of `text` in pixels at `size` pixels per em.
pub fn width(text: &str, size: f64, bold: bool) -> f64 {
    let units: u32 = text.chars().map(|c| advance(c, bold)).sum();
    f64::from(units) * size / 1000.0
}

/// Splits `text` into lines no wider than `max` pixels, breaking at spaces, and inside a word
/// only when the word alone is too wide.
pub fn wrap(text: &str, size: f64, bold: bool, max: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if width(&candidate, size, bold) <= max {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // A word wider than the box is broken at characters.
        for c in word.chars() {
            line.push(c);
            if width(&line, size, bold) > max && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::take(&mut line));
                line.push(c);
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// `text` wrapped like [`wrap`] to at most `most` lines, the last cut with an ellipsis when
/// the text runs on; also says whether anything was cut.
pub fn wrap_at_most(
    text: &str,
    size: f64,
    bold: bool,
    max: f64,
    most: usize,
) -> (Vec<String>, bool) {
    let mut lines = wrap(text, size, bold, max);
    if lines.len() <= most.max(1) {
        return (lines, false);
    }
    let rest = lines.split_off(most.max(1) - 1).join(" ");
    // The rest spanned more than one line, so it cannot fit on one: truncate always cuts it.
    lines.push(truncate(&rest, size, bold, max));
    (lines, true)
}

/// `text` wrapped like [`wrap_at_most`], followed by a suffix that must be seen whole (a
/// measure's latest result): `inline` on the last line when it fits there, else `alone` on a
/// line of its own, so the suffix never costs the text any of its words; but a `short`
/// suffix (a lone mark, not worth a line) cuts the last line to make room instead. The suffix
/// is measured in bold, as it is drawn. Returns the text's lines (without the suffix), whether
/// the text was cut, and whether the suffix takes its own line.
pub fn wrap_with_suffix(
    text: &str,
    inline: &str,
    short: bool,
    size: f64,
    max: f64,
    most: usize,
) -> (Vec<String>, bool, bool) {
    let (mut lines, cut) = wrap_at_most(text, size, false, max, most);
    let suffix = width(inline, size, true);
    let Some(last) = lines.last_mut() else {
        return (lines, cut, false);
    };
    if width(last, size, false) + suffix <= max {
        return (lines, cut, false);
    }
    if !short {
        return (lines, cut, true);
    }
    // The line does not fit beside the suffix, so this always cuts it (and any ellipsis it
    // ended with) and ends it in a fresh one.
    *last = truncate(last, size, false, (max - suffix).max(0.0));
    (lines, true, false)
}

/// `text` cut to fit `max` pixels on one line, ending in an ellipsis when cut.
pub fn truncate(text: &str, size: f64, bold: bool, max: f64) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if width(&text, size, bold) <= max {
        return text;
    }
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if width(&format!("{out}…"), size, bold) > max {
            out.pop();
            break;
        }
    }
    format!("{}…", out.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suffix_goes_on_the_last_line_when_it_fits_and_on_its_own_when_not() {
        let (lines, cut, alone) =
            wrap_with_suffix("Completion rate", " · 61% ▲", false, 18.0, 300.0, 2);
        assert_eq!(
            (lines, cut, alone),
            (vec!["Completion rate".to_string()], false, false)
        );
        let label = "Share of service users in contact beyond one month";
        let (lines, cut, alone) = wrap_with_suffix(label, " · 61% ▲", false, 18.0, 230.0, 2);
        assert!(
            alone,
            "the label keeps every word it had without the suffix"
        );
        assert_eq!(
            (lines.clone(), cut),
            wrap_at_most(label, 18.0, false, 230.0, 2)
        );
        // A lone mark is not worth a line: the label is cut to make room beside it.
        let (lines, cut, alone) = wrap_with_suffix(label, " · ○", true, 18.0, 230.0, 2);
        assert!(cut && !alone);
        let last = lines.last().expect("a line");
        assert!(last.ends_with('…'));
        assert!(width(last, 18.0, false) + width(" · ○", 18.0, true) <= 230.0);
    }

    #[test]
    fn wrapping_respects_the_width() {
        let lines = wrap(
            "Service users engaged for over a month with the key worker",
            14.0,
            false,
            150.0,
        );
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(width(l, 14.0, false) <= 150.0, "{l}");
        }
        assert_eq!(
            lines.join(" "),
            "Service users engaged for over a month with the key worker"
        );
    }

    #[test]
    fn long_words_break_and_empty_text_is_one_line() {
        let lines = wrap(&"x".repeat(100), 14.0, false, 100.0);
        assert!(lines.iter().all(|l| width(l, 14.0, false) <= 100.0));
        assert_eq!(wrap("", 14.0, false, 100.0), vec![String::new()]);
    }

    #[test]
    fn measures_wrap_to_two_lines_before_they_are_cut() {
        let text =
            "Share of service users in contact with the service for over a month after release";
        let (lines, cut) = wrap_at_most(text, 12.0, false, 150.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(cut && lines[1].ends_with('…'));
        assert!(lines.iter().all(|l| width(l, 12.0, false) <= 150.0));
        let (short, cut) = wrap_at_most("Referrals", 12.0, false, 150.0, 2);
        assert_eq!((short, cut), (vec!["Referrals".to_string()], false));
    }

    #[test]
    fn truncation_adds_an_ellipsis() {
        let t = truncate(
            "A very long measure label that will not fit",
            12.0,
            false,
            120.0,
        );
        assert!(t.ends_with('…') && width(&t, 12.0, false) <= 120.0);
    }
}
