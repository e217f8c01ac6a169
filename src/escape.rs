//! Escaping text from a model for the places it is written: XML and HTML (the SVG, the HTML
//! report, the served page) and terminals. Formats with rules of their own (Markdown, DOT,
//! Mermaid, GitHub workflow commands) keep their escaping beside their writer, built on
//! [`is_noncharacter`].

use std::borrow::Cow;

/// Whether `c` is one of Unicode's 66 non-characters (U+FDD0 to U+FDEF, and the last two
/// code points of every plane, U+FFFE and U+FFFF included). XML 1.0 forbids U+FFFE and
/// U+FFFF outright and discourages the rest, so every writer of XML, HTML and formats that
/// end up as either replaces them with U+FFFD.
pub fn is_noncharacter(c: char) -> bool {
    let u = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&u) || u & 0xFFFE == 0xFFFE
}

/// Escapes text for XML and HTML content and attribute values.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0 at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c if is_noncharacter(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Text from a model or a file name, made safe to print on a terminal: each control
/// character (C0, DEL, C1) and line or paragraph separator becomes a visible symbol of the
/// same width, so no escape sequence reaches the terminal and no text starts a line of its
/// own.
pub fn terminal(text: &str) -> Cow<'_, str> {
    if text.chars().any(|c| terminal_char(c) != c) {
        Cow::Owned(text.chars().map(terminal_char).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// One character as [`terminal`] shows it: C0 controls as their Control Pictures (`␛` for
/// escape), DEL as `␡`, and the rest, which have no picture, as `�`.
pub fn terminal_char(c: char) -> char {
    match c {
        '\0'..='\x1f' => char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{FFFD}'),
        '\x7f' => '\u{2421}',
        '\u{80}'..='\u{9f}' | '\u{2028}' | '\u{2029}' => '\u{FFFD}',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_and_replaces_what_xml_cannot_hold() {
        assert_eq!(
            xml(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(xml("a\u{1}b\u{FFFE}c\td"), "a\u{FFFD}b\u{FFFD}c\td");
    }

    #[test]
    fn control_characters_become_pictures_of_the_same_width() {
        assert_eq!(terminal("a\u{1b}]0;x\u{7}b"), "a␛]0;x␇b");
        assert_eq!(terminal("1\n2\r3\u{85}4\u{2028}"), "1␊2␍3�4�");
        assert_eq!(terminal("\u{7f}"), "␡");
        assert!(matches!(terminal("plain £ text"), Cow::Borrowed(_)));
    }
}
