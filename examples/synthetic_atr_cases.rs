//! Writes a SYNTHETIC case-level file of alcohol treatment requirement terminations, for the
//! bundled alcohol-treatment model and the results benchmark. No row describes a real person.
//!
//! `cargo run --example synthetic_atr_cases -- [OUT] [ROWS]` (defaults:
//! `models/alcohol-treatment-cases.synthetic.csv`, 2,400 rows). The same arguments always
//! give the same bytes: the numbers come from a fixed-seed generator, not the clock.

use std::io::{BufWriter, Write};

/// A 64-bit linear congruential generator (Knuth's MMIX constants): fixed and portable.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Form 20 termination codes with made-up weights (per 1,000): successful 50 and 51,
/// unsuccessful 52, 53, 55 and 57, neutral 54 and 56.
const CODES: [(u32, u64); 8] = [
    (50, 300),
    (51, 90),
    (52, 190),
    (53, 120),
    (54, 50),
    (55, 150),
    (56, 40),
    (57, 60),
];

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = args
        .next()
        .unwrap_or_else(|| "models/alcohol-treatment-cases.synthetic.csv".to_string());
    let rows: u64 = match args.next().map(|r| r.replace('_', "").parse()) {
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("error: ROWS must be a whole number: {e}");
            std::process::exit(2);
        }
        None => 2_400,
    };
    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(&out)?);
    writeln!(
        w,
        "case_id,data,start_date,end_date,termination_code,gender,age"
    )?;
    let mut rng = Lcg(0x5EED_A7C0_FFEE_2024);
    // Cases end over two financial years, 2023-24 and 2024-25 (730 days from 1 April 2023).
    let first = days_from_civil(2023, 4, 1);
    for id in 1..=rows {
        let end = first + rng.below(730) as i64;
        let start = end - 90 - rng.below(270) as i64;
        let mut pick = rng.below(1000);
        let code = CODES
            .iter()
            .find(|(_, w)| {
                if pick < *w {
                    true
                } else {
                    pick -= w;
                    false
                }
            })
            .map_or(50, |(c, _)| *c);
        let gender = if rng.below(100) < 18 {
            "female"
        } else {
            "male"
        };
        let age = 18 + rng.below(50);
        // One case in twenty is still open: no end date and no termination code yet.
        if rng.below(20) == 0 {
            writeln!(w, "{id},synthetic,{},,,{gender},{age}", civil(start))?;
        } else {
            writeln!(
                w,
                "{id},synthetic,{},{},{code},{gender},{age}",
                civil(start),
                civil(end)
            )?;
        }
    }
    w.flush()
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

fn civil(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}
