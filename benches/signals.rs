//! How long evaluating every starter of the largest demo institution takes:
//! the whole service call (every fact read from the database, the rules for
//! each starter) and the rules alone over facts already in memory.
//!
//! Run with `cargo bench -p houvast --bench signals --features testing`.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use houvast::service::signals::{evaluate_institution, evaluate_records};
use houvast::store::institutions;
use houvast::store::signals::starter_records;
use houvast::testing::{TestDb, at};

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let now = at(2026, 11, 29);
    let on = now.date_naive();
    let (test_db, largest, records) = runtime.block_on(async {
        let test_db = TestDb::sqlite().await;
        houvast::demo::load(&test_db.db, now).await.expect("demo");
        let mut largest = None;
        for institution in institutions::list(&test_db.db).await.unwrap() {
            let records = starter_records(&test_db.db, institution.id, None, &[]).await.unwrap();
            if largest
                .as_ref()
                .is_none_or(|(_, r): &(_, Vec<_>)| records.len() > r.len())
            {
                largest = Some((institution.id, records));
            }
        }
        let (id, records) = largest.expect("an institution");
        (test_db, id, records)
    });
    println!("largest demo institution: {} employments", records.len());
    let db = &test_db.db;
    let settings = houvast::domain::signals::Settings::default();

    let mut group = c.benchmark_group("signals");
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("evaluate_institution_from_database", |b| {
        b.iter(|| {
            runtime
                .block_on(evaluate_institution(db, largest, None, on))
                .expect("evaluated")
        })
    });
    group.bench_function("rules_only", |b| {
        b.iter(|| evaluate_records(records.clone(), &settings, on))
    });
    group.finish();
    runtime.block_on(test_db.finish());
}

criterion_group!(benches, bench);
criterion_main!(benches);
