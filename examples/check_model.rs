//! Compiles a model with the library API (no CLI) and prints a short account of it.
//!
//! Run: `cargo run --example check_model -- models/peterborough-sib.yaml`

use elmo::{Severity, Stage};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "models/peterborough-sib.yaml".to_string());
    let src = std::fs::read_to_string(&path)?;
    let compiled = elmo::compile(&src);
    if let Some(model) = &compiled.model {
        println!("{}", model.title.value);
        for stage in Stage::ALL {
            println!("  {:<17} {} nodes", stage.title(), model.stage(stage).len());
        }
        println!(
            "  {} measures, {} assumptions",
            model.measures.len(),
            model.assumptions.len()
        );
    }
    if let Some(readiness) = compiled.readiness() {
        println!("  readiness: {}", readiness.summary());
    }
    for d in &compiled.diagnostics {
        let kind = if d.severity == Severity::Error {
            "error"
        } else {
            "warning"
        };
        println!("{kind}[{}]: {}", d.code, d.message);
    }
    std::process::exit(i32::from(compiled.has_errors()));
}
