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
    let _ = writeln!(
        out,
        "sources:\n  - id: records\n    label: Case records\n    personal_data: false"
    );
    out
}

/// A model of `nodes` nodes shaped more like one a programme team writes: uneven stages,
/// chains inside a stage, labels and measures of varied length, and assumptions on links
/// and nodes. Same seed, same model.
pub fn varied_model(nodes: usize, seed: u64) -> String {
    const WORDS: [&str; 24] = [
        "people",
        "support",
        "local",
        "services",
        "confidence",
        "housing",
        "work",
        "training",
        "families",
        "reoffending",
        "community",
        "sessions",
        "referrals",
        "wellbeing",
        "partners",
        "data",
        "health",
        "advice",
        "mentoring",
        "stable",
        "early",
        "needs",
        "trusted",
        "groups",
    ];
    let nodes = nodes.max(6);
    let mut rng = Lcg(seed);
    // Every stage gets one node, the rest fall unevenly, mostly in the middle stages.
    let mut sizes = [1usize; 6];
    for _ in 6..nodes {
        let weights = [2, 4, 4, 3, 2, 1];
        let mut pick = rng.below(16);
        let mut stage = 0;
        while pick >= weights[stage] {
            pick -= weights[stage];
            stage += 1;
        }
        sizes[stage] += 1;
    }
    let phrase = |rng: &mut Lcg, lo: usize, hi: usize| -> String {
        let n = lo + rng.below(hi - lo + 1);
        let words: Vec<&str> = (0..n).map(|_| WORDS[rng.below(WORDS.len())]).collect();
        let s = words.join(" ");
        match s.get(..1) {
            Some(first) => first.to_uppercase() + &s[1..],
            None => s,
        }
    };
    let mut out = String::new();
    let _ = writeln!(out, "title: Varied model of {nodes} nodes");
    let mut measures = Vec::new();
    let mut links = Vec::new();
    let mut ids = Vec::new();
    for (si, stage) in Stage::ALL.into_iter().enumerate() {
        let _ = writeln!(out, "{}:", stage.key());
        for i in 0..sizes[si] {
            let id = format!("s{si}-n{i}");
            let _ = writeln!(out, "  - id: {id}\n    label: {}", phrase(&mut rng, 2, 9));
            let mut targets = Vec::new();
            // One in three nodes of the middle stages feeds a later node of its own stage.
            if (1..=3).contains(&si) && i + 1 < sizes[si] && rng.below(3) == 0 {
                targets.push(format!("s{si}-n{}", i + 1 + rng.below(sizes[si] - i - 1)));
            }
            if si + 1 < 6 {
                for _ in 0..1 + rng.below(2) {
                    targets.push(format!("s{}-n{}", si + 1, rng.below(sizes[si + 1])));
                }
            }
            targets.sort();
            targets.dedup();
            if !targets.is_empty() {
                let _ = writeln!(out, "    leads_to: [{}]", targets.join(", "));
            }
            for t in &targets {
                links.push(format!("{id} -> {t}"));
            }
            if stage >= Stage::Outputs {
                let list: Vec<String> = (0..1 + rng.below(3))
                    .map(|k| format!("m-{si}-{i}-{k}"))
                    .collect();
                let _ = writeln!(out, "    measures: [{}]", list.join(", "));
                measures.extend(list);
            }
            ids.push(id);
        }
    }
    let _ = writeln!(out, "measures:");
    for m in &measures {
        let _ = writeln!(
            out,
            "  - id: {m}\n    label: {}\n    baseline: 10\n    target: 20\n    source: records\n    frequency: quarterly",
            phrase(&mut rng, 3, 14)
        );
    }
    let _ = writeln!(out, "sources:\n  - id: records\n    label: Case records");
    let _ = writeln!(out, "assumptions:");
    for k in 0..(nodes / 4).max(1) {
        let target = if rng.below(3) == 0 {
            ids[rng.below(ids.len())].clone()
        } else {
            links[rng.below(links.len())].clone()
        };
        let _ = writeln!(
            out,
            "  - id: a{k}\n    text: {}\n    applies_to: [\"{target}\"]",
            phrase(&mut rng, 5, 14)
        );
    }
    out
}

/// A linear congruential generator: enough randomness for test models, the same everywhere.
struct Lcg(u64);

impl Lcg {
    /// A number below `n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
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
