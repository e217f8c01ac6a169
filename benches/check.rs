//! Check time on generated layered models (about three links per node, every outcome
//! measured). Targets: 1 000 nodes under 20 ms, 10 000 under 200 ms, growth no worse than
//! n log n.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn check(c: &mut Criterion) {
    let mut group = c.benchmark_group("check");
    group.sample_size(20);
    for n in [100, 1_000, 10_000] {
        let src = elmo::generate::layered_model(n, 7);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &src, |b, src| {
            b.iter(|| {
                let compiled = elmo::compile(std::hint::black_box(src));
                assert!(compiled.diagnostics.is_empty());
                compiled
            })
        });
    }
    group.finish();
}

criterion_group!(benches, check);
criterion_main!(benches);
