//! How long the retention figures take for the largest demo institution:
//! the whole service call (database read, Kaplan–Meier for every group,
//! the benchmark of all other institutions) and the pure computation alone.
//!
//! Run with `cargo bench -p houvast --bench retention --features testing`.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use houvast::domain::retention::{Breakdown, RetentionMeasure, build};
use houvast::service::retention;
use houvast::store::retention::employment_facts;
use houvast::store::{accounts, institutions};
use houvast::testing::{TestDb, at};

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let now = at(2026, 11, 29);
    let (test_db, ctx, largest) = runtime.block_on(async {
        let test_db = TestDb::sqlite().await;
        houvast::demo::load(&test_db.db, now).await.expect("demo");
        // The largest institution by number of employments, and its coordinator.
        let mut largest = None;
        for institution in institutions::list(&test_db.db).await.unwrap() {
            let n = employment_facts(&test_db.db, Some(institution.id), now.date_naive())
                .await
                .unwrap()
                .len();
            if largest.is_none_or(|(_, m)| n > m) {
                largest = Some((institution.id, n));
            }
        }
        let coordinator = accounts::find_by_email(&test_db.db, "m.vandenberg@lindenhaghe.example")
            .await
            .unwrap()
            .expect("demo coordinator");
        let ctx = houvast::service::Ctx::load(&test_db.db, coordinator.person)
            .await
            .unwrap()
            .unwrap();
        (test_db, ctx, largest.expect("an institution"))
    });
    println!("largest demo institution: {} employments", largest.1);
    let db = &test_db.db;

    let mut group = c.benchmark_group("retention");
    group.measurement_time(Duration::from_secs(10));
    // Cold: all other institutions together computed on the view, as the
    // first view of a day (or after BENCHMARK_MAX_AGE) does.
    group.bench_function("page_by_team_with_benchmark", |b| {
        b.iter(|| {
            let fresh = retention::Benchmarks::default();
            runtime
                .block_on(retention::page(
                    db,
                    now,
                    &ctx,
                    &fresh,
                    RetentionMeasure::Institution,
                    Breakdown::Team,
                ))
                .expect("page")
        })
    });
    // Warm: every other view.
    let kept = retention::Benchmarks::default();
    group.bench_function("page_by_team_benchmark_kept", |b| {
        b.iter(|| {
            runtime
                .block_on(retention::page(
                    db,
                    now,
                    &ctx,
                    &kept,
                    RetentionMeasure::Institution,
                    Breakdown::Team,
                ))
                .expect("page")
        })
    });
    let rows = runtime
        .block_on(employment_facts(db, Some(largest.0), now.date_naive()))
        .unwrap();
    let today = houvast::domain::time::today(now);
    let facts = retention::facts(&rows, today);
    for by in [Breakdown::All, Breakdown::Cohort, Breakdown::Intensity] {
        group.bench_function(format!("kaplan_meier_by_{}", by.code()), |b| {
            b.iter(|| build(&facts, today, RetentionMeasure::Education, by))
        });
    }
    group.finish();
    runtime.block_on(test_db.finish());
}

criterion_group!(benches, bench);
criterion_main!(benches);
