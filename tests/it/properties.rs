//! Property tests: generated models draw cleanly and survive a JSON round trip; mutated
//! files give diagnostics, never a panic.

use proptest::prelude::*;

fn bundled() -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = crate::common::model_paths()
        .into_iter()
        .map(|(_, p)| std::fs::read(p).expect("read"))
        .collect();
    out.sort();
    out
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (
            any::<usize>(),
            prop::sample::select(b" :-[]{}&*!|>'\"\t\n#,x0".to_vec())
        )
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
        any::<usize>().prop_map(Mutation::Delete),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn mutated_models_never_panic(which in 0usize..4, mutations in prop::collection::vec(mutation(), 1..8)) {
        let models = bundled();
        let mut bytes = models[which % models.len()].clone();
        for m in mutations {
            let len = bytes.len().max(1);
            match m {
                Mutation::Flip(i, b) => { let i = i % len; if i < bytes.len() { bytes[i] ^= b; } }
                Mutation::Insert(i, b) => bytes.insert(i % (bytes.len() + 1), b),
                Mutation::Delete(i) => { if !bytes.is_empty() { bytes.remove(i % bytes.len()); } }
                Mutation::Truncate(i) => bytes.truncate(i % len),
            }
        }
        let (_, compiled) = elmo::compile_bytes(&bytes, &elmo::Options::default());
        if compiled.has_errors() {
            prop_assert!(compiled.diagnostics.iter().all(|d| d.span.end <= bytes.len().max(d.span.end)));
            prop_assert!(elmo::render::svg(&compiled, &elmo::render::theme::LIGHT).is_none());
        } else {
            let svg = elmo::render::svg(&compiled, &elmo::render::theme::LIGHT);
            prop_assert!(svg.is_some_and(|s| roxmltree::Document::parse(&s).is_ok()));
        }
    }

    #[test]
    fn generated_models_draw_without_overlaps_and_round_trip_through_json(n in 6usize..120, seed in any::<u64>()) {
        let src = elmo::generate::layered_model(n, seed);
        let compiled = elmo::compile(&src);
        prop_assert!(compiled.diagnostics.is_empty());
        let (model, graph) = (compiled.model.as_ref().expect("model"), compiled.graph.as_ref().expect("graph"));
        let layout = elmo::layout::layout(model, graph, &compiled.diagnostics, elmo::model::Fit::default());
        for (i, a) in layout.nodes.iter().enumerate() {
            for b in &layout.nodes[i + 1..] {
                let apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
                prop_assert!(apart, "{} overlaps {}", a.id, b.id);
            }
        }
        // JSON is YAML too: the model's JSON form compiles back to the same model.
        let json = serde_json::to_string(model).expect("json");
        let again = elmo::compile(&json);
        prop_assert!(again.diagnostics.is_empty(), "{:?}", again.diagnostics);
        let back = serde_json::to_value(again.model.as_ref().expect("model")).expect("json");
        prop_assert_eq!(back, serde_json::to_value(model).expect("json"));
    }
}

#[test]
fn bundled_models_round_trip_through_json() {
    for bytes in bundled() {
        let src = String::from_utf8(bytes).expect("utf8");
        let model = elmo::compile(&src).model.expect("model");
        let json = serde_json::to_string_pretty(&model).expect("json");
        let again = elmo::compile(&json);
        assert_eq!(again.diagnostics, vec![], "{json}");
        assert_eq!(
            serde_json::to_value(again.model.expect("model")).expect("json"),
            serde_json::to_value(&model).expect("json")
        );
    }
}
