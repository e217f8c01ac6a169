//! Writes the spreadsheets under `tests/fixtures/import/` that `elmo import` is tested on,
//! laid out the way programme teams lay theirs out: merged title rows, notes above the
//! header, merged stage cells, boxes listed down a column per stage.
//!
//! Run `cargo run --example import_fixtures`; the `.ods` is converted from the wide workbook
//! with LibreOffice (`soffice --headless --convert-to ods`).

use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import");

/// A long table: one box per row, the stage cell merged down its boxes.
fn befriending() -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    let title = Format::new().set_bold().set_font_size(16);
    let bold = Format::new().set_bold().set_background_color(0xD9E1F2);
    let merged = Format::new()
        .set_align(FormatAlign::VerticalCenter)
        .set_bold();
    let ws = wb.add_worksheet().set_name("Theory of change")?;
    ws.merge_range(
        0,
        0,
        0,
        6,
        "Hartley Befriending Service: logic model 2025-26",
        &title,
    )?;
    ws.merge_range(
        1,
        0,
        1,
        6,
        "Vision: Older people in Hartley feel less alone and stay independent for longer",
        &Format::new(),
    )?;
    let header = [
        "Stage",
        "Box",
        "Leads to",
        "Indicator",
        "Unit",
        "Baseline",
        "Target",
        "Data source",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(3, c as u16, *h, &bold)?;
    }
    // (stage rows merged, label, leads to, indicator, unit, baseline, target, source)
    type Row<'a> = (&'a str, &'a str, &'a str, Option<f64>, Option<f64>, &'a str);
    let groups: [(&str, Vec<(&str, Row)>); 5] = [
        (
            "Inputs/Resources",
            vec![
                (
                    "Trained volunteer befrienders",
                    ("Weekly home visits", "", "", None, None, ""),
                ),
                (
                    "Lottery grant, 3 years",
                    (
                        "Weekly home visits; Monthly lunch club",
                        "",
                        "",
                        None,
                        None,
                        "",
                    ),
                ),
            ],
        ),
        (
            "Activities",
            vec![
                (
                    "Weekly home visits",
                    (
                        "Older people matched with a befriender",
                        "",
                        "",
                        None,
                        None,
                        "",
                    ),
                ),
                (
                    "Monthly lunch club",
                    (
                        "Older people matched with a befriender",
                        "",
                        "",
                        None,
                        None,
                        "",
                    ),
                ),
            ],
        ),
        (
            "Outputs",
            vec![(
                "Older people matched with a befriender",
                (
                    "Feel less lonely, More confident going out",
                    "Matches made",
                    "people",
                    Some(40.0),
                    Some(120.0),
                    "Volunteer log",
                ),
            )],
        ),
        (
            "Short-term outcomes",
            vec![
                (
                    "Feel less lonely",
                    (
                        "Stay independent at home",
                        "Share scoring lonely on the UCLA 3-item scale",
                        "percent",
                        Some(62.0),
                        Some(45.0),
                        "Entry and 6-month survey",
                    ),
                ),
                (
                    "More confident going out",
                    (
                        "Stay independent at home",
                        "Share going out weekly",
                        "percent",
                        Some(30.0),
                        Some(50.0),
                        "Entry and 6-month survey",
                    ),
                ),
            ],
        ),
        (
            "Long-term outcome",
            vec![(
                "Stay independent at home",
                (
                    "",
                    "Share still living at home after 2 years",
                    "percent",
                    Some(70.0),
                    Some(80.0),
                    "Council adult social care records",
                ),
            )],
        ),
    ];
    let mut r = 4u32;
    for (stage, rows) in groups {
        let first = r;
        for (label, (leads, ind, unit, base, target, source)) in rows {
            ws.write_string(r, 1, label)?;
            ws.write_string(r, 2, leads)?;
            ws.write_string(r, 3, ind)?;
            ws.write_string(r, 4, unit)?;
            if let Some(b) = base {
                ws.write_number(r, 5, b)?;
            }
            if let Some(t) = target {
                ws.write_number(r, 6, t)?;
            }
            ws.write_string(r, 7, source)?;
            r += 1;
        }
        if r - first > 1 {
            ws.merge_range(first, 0, r - 1, 0, stage, &merged)?;
        } else {
            ws.write_string_with_format(first, 0, stage, &merged)?;
        }
        // A blank line between stages, as people leave them.
        r += 1;
    }
    ws.set_column_width(1, 40)?;
    ws.set_column_width(2, 40)?;
    ws.set_column_width(3, 40)?;
    wb.save(format!("{DIR}/befriending.xlsx"))
}

/// A wide table: a column per stage, several boxes to a cell as a bulleted list.
fn food_bank() -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    let title = Format::new().set_bold().set_font_size(16);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet().set_name("Logic Model")?;
    ws.merge_range(0, 0, 0, 4, "Northside Food Bank", &title)?;
    ws.write_string(1, 0, "Notes: draft agreed at the March trustees' away day")?;
    let header = ["INPUTS", "ACTIVITIES", "OUTPUTS", "OUTCOMES", "IMPACT"];
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(3, c as u16, *h, &bold)?;
    }
    let rows = [
        [
            "• Volunteers\n• Donated food",
            "• Weekly food parcels",
            "Households given parcels",
            "Fewer households go hungry",
            "A healthier, fairer Northside",
        ],
        [
            "Warehouse space",
            "• Debt and benefits advice sessions",
            "People given advice",
            "Household income goes up",
            "",
        ],
    ];
    for (i, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if !text.is_empty() {
                ws.write_string_with_format(4 + i as u32, c as u16, *text, &wrap)?;
            }
        }
    }
    for c in 0..5 {
        ws.set_column_width(c, 30)?;
    }
    wb.save(format!("{DIR}/food-bank-wide.xlsx"))
}

fn main() -> Result<(), XlsxError> {
    befriending()?;
    food_bank()
}
