//! Import tests on both backends: encodings and separators, errors by row
//! and column with nothing written, idempotent re-import, tenancy, and a
//! large file (its time is printed, not asserted).

use super::*;

use chrono::NaiveDate;

use crate::domain::import::{Column, FileProblem, ImportProblem, ImportReport, RowAction};
use crate::domain::trajectory::{Contract, EntryRoute, Fte};
use crate::domain::{FieldProblem, InstitutionId};
use crate::service::ServiceError;
use crate::store::trajectories::{self as store};
use crate::store::{Db, people};

use crate::domain::AuditFilter;
use crate::store::audit;
use crate::testing::{at, ctx_of, people_fixture};

const HEADER: &str =
    "personeelsnummer;naam;e-mail;rol;team;startdatum;fte;contract;einddatum contract;instroomroute;partnerschap";

fn csv(rows: &[&str]) -> Vec<u8> {
    let mut text = String::from(HEADER);
    for row in rows {
        text.push_str("\r\n");
        text.push_str(row);
    }
    text.into_bytes()
}

fn actions(report: &ImportReport) -> Vec<RowAction> {
    report.rows.iter().map(|r| r.action.clone()).collect()
}

async fn employment_count(db: &Db, institution: InstitutionId) -> usize {
    store::employments(db, institution).await.unwrap().len()
}

#[test]
fn separators_and_encodings_are_detected() {
    assert_eq!(separator("a;b;c"), ';');
    assert_eq!(separator("a,b,c"), ',');
    assert_eq!(separator("\"a;x\",b,c"), ',');
    assert_eq!(separator("a\tb"), '\t');
    let (latin, _, _) = encoding_rs::WINDOWS_1252.encode("Zoë Müller");
    let decoded = decode(&latin);
    assert_eq!(
        (decoded.text.as_str(), decoded.encoding),
        ("Zoë Müller", "Windows-1252")
    );
    let decoded = decode("\u{feff}Zoë".as_bytes());
    assert_eq!((decoded.text.as_str(), decoded.encoding), ("Zoë", "UTF-8"));
}

#[test]
fn unreadable_files_say_why() {
    let (_, report) = read(b"");
    assert_eq!(report.file_errors, vec![FileProblem::Empty]);
    let (_, report) = read(b"naam;schoenmaat\nAnna;38");
    assert!(report.file_errors.contains(&FileProblem::UnknownColumn {
        header: "schoenmaat".into()
    }));
    assert!(report.file_errors.contains(&FileProblem::MissingColumn {
        column: Column::EmployeeNumber
    }));
    assert!(
        report
            .file_errors
            .contains(&FileProblem::MissingColumn { column: Column::Role })
    );
}

crate::db_test!(async fn the_template_imports_cleanly_and_a_dry_run_writes_nothing(db) {
    let f = people_fixture(db).await;
    let anna = ctx_of(db, f.anna).await;
    let now = at(2026, 9, 1);
    let file = template();

    let dry = import_file(db, now, &anna, file.as_bytes(), false).await.unwrap();
    assert!(dry.is_clean(), "{dry:?}");
    assert!(!dry.applied);
    assert_eq!(actions(&dry), [RowAction::Create, RowAction::Create]);
    assert_eq!((dry.rows[0].row, dry.rows[1].row), (2, 3));
    assert_eq!(dry.encoding, "UTF-8");
    assert_eq!(dry.separator, ';');
    assert_eq!(employment_count(db, f.a).await, 0, "a dry run writes nothing");

    let done = import_file(db, now, &anna, file.as_bytes(), true).await.unwrap();
    assert!(done.applied);
    assert_eq!(employment_count(db, f.a).await, 1, "one starter, one mentor");
    let again = import_file(db, now, &anna, file.as_bytes(), true).await.unwrap();
    assert_eq!(actions(&again), [RowAction::Unchanged, RowAction::Unchanged]);
    assert_eq!(employment_count(db, f.a).await, 1);

    // The starter has a trajectory from the PDG template, the mentor a role.
    let starters = crate::service::starters::list(db, now, &anna, &Default::default()).await.unwrap();
    assert_eq!(starters.rows.len(), 1);
    let detail = crate::service::starters::detail(db, now, &anna, starters.rows[0].person).await.unwrap();
    assert_eq!(detail.route, EntryRoute::SideEntrantPdg);
    assert_eq!(detail.start, NaiveDate::from_ymd_opt(2026, 8, 1).unwrap());
    let trajectory = detail.trajectory.unwrap();
    assert!(trajectory.milestones.iter().any(|m| m.title == "PDG behaald"));
    let events = audit::list(db, &AuditFilter::institution(f.a)).await.unwrap();
    assert_eq!(events.iter().filter(|e| e.action == "import_applied").count(), 2);
    assert!(events.iter().any(|e| e.action == "starter_enrolled"));
});

crate::db_test!(async fn windows_1252_with_commas_reads_like_utf8_with_semicolons(db) {
    let f = people_fixture(db).await;
    let anna = ctx_of(db, f.anna).await;
    let now = at(2026, 9, 1);
    let text = "Personeelsnummer,Naam,E-mail,Rol,Team,Startdatum,FTE,Contract,Einddatum contract,Instroomroute,Partnerschap\r\n\
                200001,Zoë Müller,zoe@lindenhaghe.nl,starter,verpleegkunde,01-09-2026,\"0,6\",vast,,hybride,Opleidingsschool Haaglanden\r\n";
    let (latin, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable);
    let report = import_file(db, now, &anna, &latin, true).await.unwrap();
    assert!(report.applied, "{report:?}");
    assert_eq!((report.encoding.as_str(), report.separator), ("Windows-1252", ','));
    assert_eq!(report.new_partnerships, vec!["Opleidingsschool Haaglanden".to_owned()]);
    let page = crate::service::starters::list(db, now, &anna, &Default::default()).await.unwrap();
    let zoe = &page.rows[0];
    assert_eq!(zoe.name, "Zoë Müller");
    assert_eq!(zoe.team, Some(f.team_a));
    assert!(zoe.in_partnership);
    assert_eq!(zoe.route, EntryRoute::Hybrid);

    // The same facts as UTF-8 with semicolons change nothing.
    let utf8 = csv(&["200001;Zoë Müller;zoe@lindenhaghe.nl;starter;Verpleegkunde;2026-09-01;0,60;vast;;hybrid;opleidingsschool haaglanden"]);
    let again = import_file(db, now, &anna, &utf8, true).await.unwrap();
    assert_eq!(actions(&again), [RowAction::Unchanged], "{again:?}");
});

crate::db_test!(async fn errors_in_several_rows_are_all_reported_and_nothing_is_written(db) {
    let f = people_fixture(db).await;
    let anna = ctx_of(db, f.anna).await;
    let now = at(2026, 9, 1);
    let file = csv(&[
        "300001;Goed Persoon;goed@lindenhaghe.nl;starter;;1-9-2026;1;vast;;regulier;",
        "300002;;geen-adres;docent;;;;;;;",
        "300003;Fout Datum;fd@lindenhaghe.nl;starter;Onbekend team;31-2-2026;1,5;tijdelijk;;zwemleraar;",
        "300001;Dubbel Nummer;dubbel@lindenhaghe.nl;mentor;;;;;;;",
        "300004;Bram Dubbel;bram@lindenhaghe.nl;mentor;;;;;;;",
        "300005;Te Kort;tk@lindenhaghe.nl;mentor",
    ]);
    let report = import_file(db, now, &anna, &file, true).await.unwrap();
    assert!(!report.applied);
    assert_eq!(report.with_errors(), 5);
    assert_eq!(report.rows[0].action, RowAction::Create);
    let errors_of = |row: usize| -> Vec<(Option<Column>, ImportProblem)> {
        match &report.rows.iter().find(|r| r.row == row).unwrap().action {
            RowAction::Error { errors } => errors.iter().map(|e| (e.column, e.problem)).collect(),
            other => panic!("row {row}: {other:?}"),
        }
    };
    assert_eq!(
        errors_of(3),
        vec![
            (Some(Column::Name), ImportProblem::Field { problem: FieldProblem::Required }),
            (Some(Column::Email), ImportProblem::Field { problem: FieldProblem::Format }),
            (Some(Column::Role), ImportProblem::Field { problem: FieldProblem::UnknownChoice }),
        ]
    );
    assert_eq!(
        errors_of(4),
        vec![
            (Some(Column::Team), ImportProblem::UnknownTeam),
            (Some(Column::StartDate), ImportProblem::Field { problem: FieldProblem::Format }),
            (Some(Column::Fte), ImportProblem::Field { problem: FieldProblem::FteRange }),
            (Some(Column::ContractEnd), ImportProblem::Field { problem: FieldProblem::Required }),
            (Some(Column::EntryRoute), ImportProblem::Field { problem: FieldProblem::UnknownChoice }),
        ]
    );
    assert_eq!(errors_of(5), vec![(Some(Column::EmployeeNumber), ImportProblem::DuplicateInFile)]);
    assert_eq!(errors_of(6), vec![(Some(Column::Email), ImportProblem::EmailTaken)], "Bram's address is his");
    assert_eq!(errors_of(7), vec![(None, ImportProblem::CellCount)]);
    assert_eq!(employment_count(db, f.a).await, 0, "one bad row writes nothing");
    assert!(people::with_employee_numbers(db, f.a).await.unwrap().is_empty());
});

crate::db_test!(async fn a_changed_file_adds_dated_terms_and_never_overwrites(db) {
    let f = people_fixture(db).await;
    let anna = ctx_of(db, f.anna).await;
    let first = csv(&["400001;Sanne Bakker;sanne@lindenhaghe.nl;starter;Verpleegkunde;1-8-2026;0,8;tijdelijk;31-7-2027;regulier;"]);
    import_file(db, at(2026, 8, 20), &anna, &first, true).await.unwrap();
    let changed = csv(&["400001;Sanne Bakker;sanne@lindenhaghe.nl;starter;Software Development;1-8-2026;1;vast;;regulier;"]);
    let report = import_file(db, at(2027, 2, 1), &anna, &changed, true).await.unwrap();
    assert_eq!(
        actions(&report),
        [RowAction::Update { changes: vec![Column::Team, Column::Fte, Column::Contract, Column::ContractEnd] }]
    );
    let sanne = crate::service::starters::list(db, at(2027, 2, 1), &anna, &Default::default()).await.unwrap().rows[0].person;
    let detail = crate::service::starters::detail(db, at(2027, 2, 1), &anna, sanne).await.unwrap();
    assert_eq!(detail.terms.len(), 2, "{:?}", detail.terms);
    assert_eq!(detail.terms[0].fte, Fte(80));
    assert_eq!(detail.terms[0].team_name.as_deref(), Some("Verpleegkunde"));
    assert_eq!(detail.terms[1].valid_from, NaiveDate::from_ymd_opt(2027, 2, 1).unwrap());
    assert_eq!(detail.terms[1].contract, Contract::Permanent);
    assert!(matches!(detail.timeline.last().unwrap().1, crate::domain::starter::TimelineEvent::TermsChanged { .. }));
    let again = import_file(db, at(2027, 2, 2), &anna, &changed, true).await.unwrap();
    assert_eq!(actions(&again), [RowAction::Unchanged]);
});

crate::db_test!(async fn imports_stay_inside_the_institution_and_need_a_coordinator(db) {
    let f = people_fixture(db).await;
    let anna = ctx_of(db, f.anna).await;
    let erik = ctx_of(db, f.erik).await;
    let daan = ctx_of(db, f.daan).await;
    let now = at(2026, 9, 1);
    let file = csv(&["500001;Iris Jansen;;starter;;1-9-2026;1;vast;;regulier;"]);
    import_file(db, now, &anna, &file, true).await.unwrap();
    // The same employee number in B is someone else: created there.
    let in_b = import_file(db, now, &erik, &file, true).await.unwrap();
    assert_eq!(actions(&in_b), [RowAction::Create]);
    assert_eq!(employment_count(db, f.b).await, 1);
    // A team of A is unknown in B.
    let team_of_a = csv(&["500002;Kim;;mentor;Verpleegkunde;;;;;;"]);
    let report = import_file(db, now, &erik, &team_of_a, false).await.unwrap();
    assert_eq!(report.with_errors(), 1);
    assert!(matches!(import_file(db, now, &daan, &file, false).await, Err(ServiceError::Forbidden)));
});

crate::db_test!(async fn five_thousand_rows_import_within_seconds(db) {
    let f = people_fixture(db).await;
    let anna = ctx_of(db, f.anna).await;
    let mut text = String::from(HEADER);
    for i in 0..5000 {
        let role = if i % 5 == 0 { "mentor;Verpleegkunde;;;;;" } else { "starter;Verpleegkunde;1-9-2026;0,8;tijdelijk;31-7-2027;" };
        let route = if i % 5 == 0 { "" } else if i % 3 == 0 { "zij-instromer pdg" } else { "regulier" };
        text.push_str(&format!("\r\n{};Persoon {i};p{i}@lindenhaghe.nl;{role}{route};", 600_000 + i));
    }
    let started = std::time::Instant::now();
    let dry = import_file(db, at(2026, 9, 1), &anna, text.as_bytes(), false).await.unwrap();
    let planned = started.elapsed();
    assert!(dry.is_clean(), "{:?}", dry.rows.iter().find(|r| matches!(r.action, RowAction::Error { .. })));
    let started = std::time::Instant::now();
    let done = import_file(db, at(2026, 9, 1), &anna, text.as_bytes(), true).await.unwrap();
    let applied = started.elapsed();
    assert_eq!(done.created(), 5000);
    assert_eq!(employment_count(db, f.a).await, 4000);
    let started = std::time::Instant::now();
    let again = import_file(db, at(2026, 9, 1), &anna, text.as_bytes(), true).await.unwrap();
    let repeated = started.elapsed();
    assert_eq!(again.unchanged(), 5000);
    println!(
        "{:?}: 5,000-row HR import: dry run {planned:.2?}, applied {applied:.2?}, re-import (no changes) {repeated:.2?}",
        db.backend()
    );
});

#[test]
fn rows_are_numbered_as_a_spreadsheet_shows_them_whatever_the_line_endings() {
    for ending in ["\n", "\r\n", "\r"] {
        let text = [
            HEADER,
            "1;A;;mentor;;;;;;;",
            "2;\"B\nC\";;mentor;;;;;;;",
            "",
            "3;D;;mentor;;;;;;;",
        ]
        .join(ending);
        let (rows, report) = read(text.as_bytes());
        assert!(report.file_errors.is_empty(), "{report:?}");
        let numbers: Vec<usize> = rows.iter().map(|r| r.row).collect();
        assert_eq!(numbers, vec![2, 3, 5], "{ending:?}");
    }
}
