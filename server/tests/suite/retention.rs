//! The retention page and its CSV over HTTP: rendered on the server with
//! an SVG chart and tables; groups under five people show "< 5" in the
//! page and in every CSV, with their complement; the CSV is UTF-8 with a
//! byte-order mark and names no other institution; only coordinators,
//! team leaders and analysts get it.

use crate::support::*;
use axum::http::StatusCode;
use houvast::service::import;
use houvast::testing::{TEST_PASSWORD, at, ctx_of, people_fixture};

/// Deltacollege: 11 regular starters and 3 hybrid ones; Hanzeland: 6.
async fn world(db: &houvast::store::Db) -> houvast::testing::PeopleFixture {
    let f = people_fixture(db).await;
    let header =
        "personeelsnummer;naam;e-mail;rol;team;startdatum;fte;contract;einddatum contract;instroomroute;partnerschap\n";
    let mut a = header.to_owned();
    for i in 0..14 {
        let route = if i < 3 { "hybride" } else { "regulier" };
        let team = if i % 2 == 0 {
            "Verpleegkunde"
        } else {
            "Software Development"
        };
        a.push_str(&format!(
            "A{i:03};Starter Anoniem{i};;starter;{team};1-8-{};1;vast;;{route};\n",
            2023 + i % 3
        ));
    }
    let anna = ctx_of(db, f.anna).await;
    assert!(
        import::import_file(db, at(2026, 8, 1), &anna, a.as_bytes(), true)
            .await
            .unwrap()
            .applied
    );
    let mut b = header.to_owned();
    for i in 0..6 {
        b.push_str(&format!(
            "B{i:03};Starter B{i};;starter;Elektrotechniek;1-8-2024;1;vast;;regulier;\n"
        ));
    }
    let erik = ctx_of(db, f.erik).await;
    assert!(
        import::import_file(db, at(2026, 8, 1), &erik, b.as_bytes(), true)
            .await
            .unwrap()
            .applied
    );
    for person in [f.cigdem, f.daan] {
        ctx_of(db, person).await;
    }
    f
}

houvast::db_test!(async fn the_page_and_its_csv_hide_small_groups_and_other_institutions(db) {
    let _f = world(db).await;
    let app = router(db).await;
    let mut anna = Client::new(&app);
    anna.login("anna@lindenhaghe.nl", TEST_PASSWORD).await;

    let page = anna.get("/retention?measure=institution&by=route").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("<svg") && html.contains("survival-desc"), "a chart with a description");
    let text = visible_text(&html);
    assert!(text.contains("Behoud van starters") && text.contains("Deltacollege"), "{text}");
    // Hybrid (3) is hidden, and regular (11) with it: 14 − 11 would give it away.
    assert!(text.contains("Hybride docent verborgen (minder dan 5 mensen) verborgen (minder dan 5 mensen)"), "{text}");
    assert!(text.contains("Regulier (bevoegd) verborgen (minder dan 5 mensen) verborgen (minder dan 5 mensen)"), "{text}");
    assert!(!text.contains("Hanzeland") && !text.contains("Elektrotechniek"), "{text}");
    assert!(text.contains("Alle andere instellingen samen"), "{text}");

    let csv = anna.get("/retention.csv?table=readouts&measure=institution&by=route&sep=semicolon").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(csv.header("content-disposition").unwrap().contains("houvast-behoud-readouts-institution-route.csv"));
    let body = csv.text();
    assert!(body.starts_with('\u{feff}'), "byte-order mark");
    let lines: Vec<&str> = body.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].starts_with("group;people;events;"), "{}", lines[0]);
    assert!(lines[1].starts_with("all;14;0;"), "{}", lines[1]);
    let hybrid = lines.iter().find(|l| l.starts_with("hybrid;")).unwrap();
    let regular = lines.iter().find(|l| l.starts_with("regular;")).unwrap();
    for line in [hybrid, regular] {
        assert!(line.starts_with("hybrid;< 5;< 5;") || line.starts_with("regular;< 5;< 5;"), "{line}");
    }
    assert!(lines.iter().any(|l| l.starts_with("all_other_institutions;6;")), "{body}");
    assert!(!body.contains("Hanzeland") && !body.contains("Elektrotechniek"));

    // The coverage table: one row per figure, here beside all others;
    // with no alerts open, the alert counts rest on nobody and are hidden.
    let coverage = anna.get("/retention.csv?table=coverage&sep=semicolon").await;
    assert_eq!(coverage.status, StatusCode::OK);
    assert!(coverage.header("content-disposition").unwrap().contains("houvast-begeleiding.csv"));
    let body = coverage.text();
    let lines: Vec<&str> = body.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "figure;here;all_other_institutions", "{body}");
    assert!(lines.iter().any(|l| l.starts_with("starters;14;6")), "{body}");
    assert!(lines.contains(&"open_alerts_red;< 5;< 5"), "{body}");
    assert!(lines.contains(&"median_days_to_acknowledge;< 5;< 5"), "{body}");

    // Per-person records are for analysts only: a coordinator with small
    // teams could re-identify people from them.
    assert_eq!(anna.get("/retention.csv?table=records").await.status, StatusCode::FORBIDDEN);
});

houvast::db_test!(async fn names_people_chose_never_reach_a_spreadsheet_as_formulas(db) {
    // A team called =HYPERLINK(..) appears in the CSV as text, not as a
    // live formula (OWASP CSV injection), on every table that names teams.
    let f = world(db).await;
    let anna_ctx = ctx_of(db, f.anna).await;
    let software = houvast::store::teams::list(db, f.a).await.unwrap().into_iter().find(|t| t.name.to_string() == "Software Development").unwrap();
    houvast::service::teams::update(db, at(2026, 8, 2), &anna_ctx, software.id, "=HYPERLINK(\"http://x\",\"klik\")", "ict_creative").await.unwrap();
    let app = router(db).await;
    let mut anna = Client::new(&app);
    anna.login("anna@lindenhaghe.nl", TEST_PASSWORD).await;
    for table in ["readouts", "curve"] {
        for sep in ["", "&sep=semicolon"] {
            let body = anna.get(&format!("/retention.csv?table={table}&measure=institution&by=team{sep}")).await.text();
            assert!(body.contains("'=HYPERLINK("), "{table}{sep}: {body}");
            for line in body.trim_start_matches('\u{feff}').lines() {
                for cell in line.split([',', ';']) {
                    assert!(!cell.trim_start_matches('"').starts_with('='), "{table}{sep}: live formula in {line}");
                }
            }
        }
    }
});

houvast::db_test!(async fn only_those_who_may_see_figures_get_them(db) {
    let _f = world(db).await;
    let app = router(db).await;
    let anonymous = get(&app, "/retention.csv?table=records").await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    let mut starter = Client::new(&app);
    starter.login("cigdem@lindenhaghe.nl", TEST_PASSWORD).await;
    assert_eq!(starter.get("/retention.csv?table=readouts").await.status, StatusCode::FORBIDDEN);
    let mut leader = Client::new(&app);
    leader.login("daan@lindenhaghe.nl", TEST_PASSWORD).await;
    let theirs = leader.get("/retention.csv?table=readouts&by=team").await.text();
    assert!(theirs.contains("Verpleegkunde") && !theirs.contains("Software Development"), "{theirs}");
    assert!(!theirs.contains("all_other_institutions"));
    assert_eq!(leader.get("/retention.csv?table=records").await.status, StatusCode::FORBIDDEN, "records: analysts only");
});
