//! Synthetic layered models of any size, for benchmarks, property tests and load tests.

use std::fmt::Write;

use crate::model::Stage;

/// A clean model with about `nodes` nodes spread over the six stages, each node linking to
/// up to three nodes of the next stage, every output and outcome measured (systemic impacts
/// qualitatively).
///
/// The same `nodes` and `seed` always give the same text.
pub fn layered_model(nodes: usize, seed: u64) -> String {
    let nodes = nodes.max(6);
    let mut rng = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = move |n: usize| {
        // A small LCG: deterministic and dependency-free, which is all a generator needs.
        rng = rng
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((rng >> 33) as usize) % n.max(1)
    };
    let per_stage = nodes / 6;
    let sizes: Vec<usize> = (0..6)
        .map(|i| per_stage + usize::from(i < nodes % 6))
        .collect();
    let mut out = String::new();
    let _ = writeln!(out, "title: Generated model of {nodes} nodes");
    let mut measures = Vec::new();
    for (si, stage) in Stage::ALL.into_iter().enumerate() {
        let _ = writeln!(out, "{}:", stage.key());
        for i in 0..sizes[si] {
            let _ = writeln!(out, "  - id: s{si}-n{i}");
            let _ = writeln!(
                out,
                "    label: Step {i} of stage {si} with a label long enough to wrap"
            );
            if si + 1 < 6 {
                let width = sizes[si + 1];
                // The first link keeps every node of the next stage reachable; the others
                // are random, giving about three links per node.
                let mut targets = vec![i * width / sizes[si].max(1)];
                for _ in 0..2 {
                    targets.push(next(width));
                }
                targets.sort_unstable();
                targets.dedup();
                let list: Vec<String> = targets
                    .iter()
                    .map(|t| format!("s{}-n{t}", si + 1))
                    .collect();
                let _ = writeln!(out, "    leads_to: [{}]", list.join(", "));
            }
            if stage >= Stage::Outputs {
                let m = format!("m{si}-{i}");
                let _ = writeln!(out, "    measures: [{m}]");
                measures.push(m);
            }
        }
    }
    let _ = writeln!(out, "measures:");
    for m in &measures {
        // Systemic impacts are heard as well as counted, so a clean model has stories too.
        if m.starts_with("m5-") {
            let _ = writeln!(
                out,
                "  - id: {m}\n    label: Accounts of change {m}\n    kind: qualitative\n    source: records"
            );
        } else {
            let _ = writeln!(
                out,
                "  - id: {m}\n    label: Measure {m}\n    baseline: 10\n    target: 20\n    source: records\n    frequency: quarterly"
            );
        }
    }
    let _ = writeln!(out, "sources:\n  - id: records\n    label: Case records");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_models_are_clean_at_every_size() {
        for n in [6, 7, 30, 100, 1000] {
            let c = crate::compile(&super::layered_model(n, 1));
            assert_eq!(c.diagnostics, vec![], "{n} nodes");
            assert_eq!(c.model.map(|m| m.nodes().count()), Some(n));
        }
    }
}
