//! Service tests on both backends: access by role and tenant, validation as
//! field errors, audit events, logins, throttling and links.

use chrono::Duration;

use super::auth::{LoginAttempt, LoginPolicy};
use super::*;
use crate::domain::{AccountStatus, AuditFilter, FieldProblem, Language, PeopleFilter, PersonId, Role, RoleAssignment};
use crate::store::tokens::TokenPurpose;
use crate::store::{accounts, audit};
use crate::testing::{TEST_PASSWORD, admin_ctx, at, ctx_of, people_fixture};

fn attempt(email: &str, password: &str) -> LoginAttempt {
    LoginAttempt {
        email: email.into(),
        password: password.into(),
        client: "192.0.2.1".into(),
        device: None,
    }
}

fn problems(err: ServiceError) -> Vec<(String, FieldProblem)> {
    match err {
        ServiceError::Invalid(list) => list.into_iter().map(|e| (e.field, e.problem)).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

async fn actions(db: &crate::store::Db, institution: crate::domain::InstitutionId) -> Vec<String> {
    audit::list(db, &AuditFilter::institution(institution))
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

crate::db_test!(async fn login_succeeds_and_failures_look_the_same(db) {
    let f = people_fixture(db).await;
    ctx_of(db, f.bram).await;
    let now = at(2026, 9, 1);
    let policy = LoginPolicy::default();
    assert_eq!(auth::login(db, now, policy, &attempt(" Bram@Lindenhaghe.nl ", TEST_PASSWORD)).await.unwrap().person, f.bram);

    let wrong = auth::login(db, now, policy, &attempt("bram@lindenhaghe.nl", "verkeerd wachtwoord!")).await.unwrap_err();
    let unknown = auth::login(db, now, policy, &attempt("niemand@lindenhaghe.nl", TEST_PASSWORD)).await.unwrap_err();
    let invited = auth::login(db, now, policy, &attempt("cigdem@lindenhaghe.nl", TEST_PASSWORD)).await.unwrap_err();
    let garbage = auth::login(db, now, policy, &attempt("geen adres", "x")).await.unwrap_err();
    for err in [wrong, unknown, invited, garbage] {
        assert!(matches!(err, ServiceError::InvalidCredentials), "{err:?}");
    }

    let mut tx = db.begin_write().await.unwrap();
    accounts::set_deactivated(&mut tx, f.bram, Some(now)).await.unwrap();
    tx.commit().await.unwrap();
    let deactivated = auth::login(db, now, policy, &attempt("bram@lindenhaghe.nl", TEST_PASSWORD)).await.unwrap_err();
    assert!(matches!(deactivated, ServiceError::InvalidCredentials));
    let logged = actions(db, f.a).await;
    assert!(logged.contains(&"login_succeeded".to_string()) && logged.contains(&"login_failed".to_string()), "{logged:?}");
});

crate::db_test!(async fn failed_logins_are_throttled_per_account_then_released(db) {
    let f = people_fixture(db).await;
    ctx_of(db, f.bram).await;
    ctx_of(db, f.daan).await;
    let policy = LoginPolicy::default();
    let t0 = at(2026, 9, 1);
    for i in 0..policy.per_account {
        let err = auth::login(db, t0 + Duration::seconds(i), policy, &attempt("bram@lindenhaghe.nl", "fout fout fout")).await;
        assert!(matches!(err, Err(ServiceError::InvalidCredentials)));
    }
    let throttled = auth::login(db, t0 + Duration::minutes(1), policy, &attempt("bram@lindenhaghe.nl", TEST_PASSWORD)).await;
    match throttled {
        Err(ServiceError::Throttled { retry_after_secs }) => assert_eq!(retry_after_secs, 14 * 60),
        other => panic!("expected throttling, got {other:?}"),
    }
    let other = auth::login(db, t0 + Duration::minutes(1), policy, &attempt("daan@lindenhaghe.nl", TEST_PASSWORD)).await;
    assert_eq!(other.unwrap().person, f.daan, "another account is unaffected");
    let later = auth::login(db, t0 + Duration::minutes(16), policy, &attempt("bram@lindenhaghe.nl", TEST_PASSWORD)).await;
    assert_eq!(later.unwrap().person, f.bram, "no permanent lockout");
});

crate::db_test!(async fn failed_logins_are_throttled_per_address(db) {
    let f = people_fixture(db).await;
    ctx_of(db, f.bram).await;
    let policy = LoginPolicy { per_address: 3, ..LoginPolicy::default() };
    let t0 = at(2026, 9, 1);
    for who in ["a@x.nl", "b@x.nl", "c@x.nl"] {
        assert!(auth::login(db, t0, policy, &attempt(who, "fout fout fout")).await.is_err());
    }
    let blocked = auth::login(db, t0, policy, &attempt("bram@lindenhaghe.nl", TEST_PASSWORD)).await;
    assert!(matches!(blocked, Err(ServiceError::Throttled { .. })), "{blocked:?}");
    let elsewhere = LoginAttempt { client: "198.51.100.7".into(), ..attempt("bram@lindenhaghe.nl", TEST_PASSWORD) };
    assert_eq!(auth::login(db, t0, policy, &elsewhere).await.unwrap().person, f.bram);
});

crate::db_test!(async fn every_login_attempt_costs_one_password_verification(db) {
    // Constant work whatever the address: unknown, invited (no password),
    // deactivated, wrong password and right password each verify one hash
    // (counted, not timed). Before, a wrong password for a real address did
    // a full verification and an unknown one none.
    let f = people_fixture(db).await;
    ctx_of(db, f.bram).await;
    ctx_of(db, f.daan).await;
    let mut tx = db.begin_write().await.unwrap();
    accounts::set_deactivated(&mut tx, f.daan, Some(at(2026, 8, 1))).await.unwrap();
    tx.commit().await.unwrap();
    let policy = LoginPolicy::default();
    let now = at(2026, 9, 1);
    for (email, password) in [
        ("niemand@lindenhaghe.nl", "verkeerd wachtwoord!"),
        ("geen adres", "x"),
        ("cigdem@lindenhaghe.nl", TEST_PASSWORD),
        ("daan@lindenhaghe.nl", TEST_PASSWORD),
        ("bram@lindenhaghe.nl", "verkeerd wachtwoord!"),
        ("bram@lindenhaghe.nl", TEST_PASSWORD),
    ] {
        let (_, verifications) = passwords::count_verifications(auth::login(db, now, policy, &attempt(email, password))).await;
        assert_eq!(verifications, 1, "{email}");
    }
});

crate::db_test!(async fn nobody_can_lock_a_person_out_of_their_own_account(db) {
    let f = people_fixture(db).await;
    ctx_of(db, f.bram).await;
    let policy = LoginPolicy::default();
    let t0 = at(2026, 9, 1);
    // Bram logged in from his own browser before: it holds a device cookie.
    let earlier = auth::login(db, t0 - Duration::days(3), policy, &attempt("bram@lindenhaghe.nl", TEST_PASSWORD)).await.unwrap();
    // An attacker guesses from one client until it is throttled there...
    let from = |client: &str, password: &str| LoginAttempt { client: client.into(), ..attempt("bram@lindenhaghe.nl", password) };
    for i in 0..policy.per_account {
        let err = auth::login(db, t0 + Duration::seconds(i), policy, &from("203.0.113.9", "fout fout fout")).await;
        assert!(matches!(err, Err(ServiceError::InvalidCredentials)), "{err:?}");
    }
    let attacker = auth::login(db, t0 + Duration::seconds(10), policy, &from("203.0.113.9", TEST_PASSWORD)).await;
    assert!(matches!(attacker, Err(ServiceError::Throttled { .. })), "{attacker:?}");
    // ...which does not stop Bram from another network, even without his cookie.
    let elsewhere = auth::login(db, t0 + Duration::seconds(11), policy, &from("192.0.2.1", TEST_PASSWORD)).await;
    assert_eq!(elsewhere.unwrap().person, f.bram);
    // Guessing spread over many clients stops untrusted browsers for the
    // address, but Bram's own browser (device cookie) still gets in.
    for i in 0..policy.per_account_untrusted {
        let client = format!("198.51.100.{i}");
        let _ = auth::login(db, t0 + Duration::seconds(20 + i), policy, &from(&client, "fout fout fout")).await;
    }
    let untrusted = auth::login(db, t0 + Duration::minutes(1), policy, &from("192.0.2.77", TEST_PASSWORD)).await;
    assert!(matches!(untrusted, Err(ServiceError::Throttled { .. })), "{untrusted:?}");
    let own_browser = LoginAttempt { device: Some(earlier.device.clone()), ..from("192.0.2.77", TEST_PASSWORD) };
    let trusted = auth::login(db, t0 + Duration::minutes(1), policy, &own_browser).await.unwrap();
    assert_eq!(trusted.person, f.bram);
    assert_eq!(trusted.device, earlier.device, "the same browser keeps its cookie");
    // A device cookie of someone else's browser buys nothing.
    let foreign = LoginAttempt { device: Some("niet-echt".into()), ..from("192.0.2.77", TEST_PASSWORD) };
    assert!(matches!(auth::login(db, t0 + Duration::minutes(1), policy, &foreign).await, Err(ServiceError::Throttled { .. })));
    // Wrong passwords from the trusted browser count against that browser only.
    for i in 0..policy.per_account {
        let wrong = LoginAttempt { device: Some(earlier.device.clone()), ..from("192.0.2.77", "fout fout fout") };
        assert!(matches!(auth::login(db, t0 + Duration::minutes(2) + Duration::seconds(i), policy, &wrong).await, Err(ServiceError::InvalidCredentials)));
    }
    let spent = auth::login(db, t0 + Duration::minutes(3), policy, &own_browser).await;
    assert!(matches!(spent, Err(ServiceError::Throttled { .. })), "{spent:?}");
});

crate::db_test!(async fn a_password_change_cancels_reset_links_and_current_password_guesses_are_throttled(db) {
    let f = people_fixture(db).await;
    let anna = ctx_of(db, f.anna).await;
    let bram = ctx_of(db, f.bram).await;
    let now = at(2026, 9, 1);
    let token = crate::service::auth::operator_link(db, now, "bram@lindenhaghe.nl").await.unwrap().1;
    auth::change_password(db, now, &bram, TEST_PASSWORD, "nieuwe zin voor bram 7", "nieuwe zin voor bram 7").await.unwrap();
    let reset = auth::set_password_with_link(db, now, &token, TokenPurpose::PasswordReset, "over genomen account 1", "over genomen account 1").await;
    assert!(matches!(reset, Err(ServiceError::InvalidLink)), "the earlier link died with the change: {reset:?}");
    for _ in 0..LoginPolicy::default().per_account {
        let wrong = auth::change_password(db, now, &bram, "gok gok gok gok", "nog een zin voor bram 8", "nog een zin voor bram 8").await;
        assert!(problems(wrong.unwrap_err()).iter().any(|(field, _)| field == "current_password"));
    }
    let throttled = auth::change_password(db, now, &bram, "nieuwe zin voor bram 7", "nog een zin voor bram 8", "nog een zin voor bram 8").await;
    assert!(matches!(throttled, Err(ServiceError::Throttled { .. })), "{throttled:?}");
    let later = now + Duration::minutes(16);
    auth::change_password(db, later, &bram, "nieuwe zin voor bram 7", "nog een zin voor bram 8", "nog een zin voor bram 8").await.unwrap();
    let _ = anna;
});

crate::db_test!(async fn a_weaker_stored_hash_is_upgraded_at_login(db) {
    let f = people_fixture(db).await;
    let weak = passwords::weak_hash_for_tests(TEST_PASSWORD);
    let mut tx = db.begin_write().await.unwrap();
    accounts::set_password_hash(&mut tx, f.bram, &weak, at(2026, 8, 1)).await.unwrap();
    tx.commit().await.unwrap();
    auth::login(db, at(2026, 9, 1), LoginPolicy::default(), &attempt("bram@lindenhaghe.nl", TEST_PASSWORD)).await.unwrap();
    let stored = accounts::get(db, f.bram).await.unwrap().password_hash.unwrap();
    assert_ne!(stored, weak);
    assert_eq!(passwords::parameters_of(&stored), Some(("argon2id".into(), passwords::MEMORY_KIB, passwords::PASSES, passwords::LANES)));
    assert!(passwords::verify(TEST_PASSWORD, Some(&stored)).await.matches);
});

crate::db_test!(async fn activation_links_set_a_password_once_within_seven_days(db) {
    let f = people_fixture(db).await;
    let anna = ctx_of(db, f.anna).await;
    let now = at(2026, 9, 1);
    let created = people::create(db, now, &anna, "Eva Nieuw", "eva@lindenhaghe.nl", &[RoleAssignment { role: Role::Starter, team: Some(f.team_a) }]).await.unwrap();
    let info = auth::link_info(db, now, &created.token, TokenPurpose::Activation).await.unwrap();
    assert_eq!((info.name.as_str(), info.email.as_str()), ("Eva Nieuw", "eva@lindenhaghe.nl"));
    assert!(Ctx::load(db, created.person).await.unwrap().is_none(), "no login before activation");

    let weak = auth::set_password_with_link(db, now, &created.token, TokenPurpose::Activation, "kort", "kort").await.unwrap_err();
    assert_eq!(problems(weak), [("password".into(), FieldProblem::TooShort { min: 12 })]);
    let mismatch = auth::set_password_with_link(db, now, &created.token, TokenPurpose::Activation, "lamp stoel bloem wolk 9", "lamp stoel bloem wolk 8").await.unwrap_err();
    assert_eq!(problems(mismatch), [("repeat_password".into(), FieldProblem::Mismatch)]);
    let personal = auth::set_password_with_link(db, now, &created.token, TokenPurpose::Activation, "Deltacollege2026", "Deltacollege2026").await.unwrap_err();
    assert_eq!(problems(personal), [("password".into(), FieldProblem::TooGuessable)]);
    let late = auth::set_password_with_link(db, now + Duration::days(7), &created.token, TokenPurpose::Activation, "lamp stoel bloem wolk 9", "lamp stoel bloem wolk 9").await;
    assert!(matches!(late, Err(ServiceError::InvalidLink)));

    let person = auth::set_password_with_link(db, now, &created.token, TokenPurpose::Activation, "lamp stoel bloem wolk 9", "lamp stoel bloem wolk 9").await.unwrap();
    assert_eq!(person, created.person);
    let again = auth::set_password_with_link(db, now, &created.token, TokenPurpose::Activation, "lamp stoel bloem wolk 9", "lamp stoel bloem wolk 9").await;
    assert!(matches!(again, Err(ServiceError::InvalidLink)), "single use");
    assert_eq!(auth::login(db, now, LoginPolicy::default(), &attempt("eva@lindenhaghe.nl", "lamp stoel bloem wolk 9")).await.unwrap().person, created.person);
});

crate::db_test!(async fn password_change_needs_the_current_password(db) {
    let f = people_fixture(db).await;
    let bram = ctx_of(db, f.bram).await;
    let now = at(2026, 9, 1);
    let wrong = auth::change_password(db, now, &bram, "niet mijn wachtwoord", "nieuw lang wachtwoord 42", "nieuw lang wachtwoord 42").await.unwrap_err();
    assert_eq!(problems(wrong), [("current_password".into(), FieldProblem::WrongPassword)]);
    auth::change_password(db, now, &bram, TEST_PASSWORD, "nieuw lang wachtwoord 42", "nieuw lang wachtwoord 42").await.unwrap();
    assert!(auth::login(db, now, LoginPolicy::default(), &attempt("bram@lindenhaghe.nl", TEST_PASSWORD)).await.is_err());
    assert!(auth::login(db, now, LoginPolicy::default(), &attempt("bram@lindenhaghe.nl", "nieuw lang wachtwoord 42")).await.is_ok());
});

crate::db_test!(async fn coordinators_manage_only_their_own_institution(db) {
    let f = people_fixture(db).await;
    let anna = ctx_of(db, f.anna).await;
    let now = at(2026, 9, 1);
    assert!(matches!(people::detail(db, now, &anna, f.erik).await, Err(ServiceError::NotFound)));
    assert!(matches!(people::update(db, now, &anna, f.erik, "X", "x@x.nl").await, Err(ServiceError::NotFound)));
    assert!(matches!(people::set_active(db, now, &anna, f.erik, false).await, Err(ServiceError::NotFound)));
    assert!(matches!(people::issue_link(db, now, &anna, f.erik, true).await, Err(ServiceError::NotFound)));
    assert!(matches!(teams::update(db, now, &anna, f.team_b, "X", "other").await, Err(ServiceError::NotFound)));
    assert!(matches!(teams::set_leaders(db, now, &anna, f.team_b, &[]).await, Err(ServiceError::NotFound)));
    assert!(matches!(teams::get(db, now, &anna, f.team_b).await, Err(ServiceError::NotFound)));
    let foreign_team = [RoleAssignment { role: Role::Starter, team: Some(f.team_b) }];
    assert!(matches!(people::create(db, now, &anna, "Y", "y@x.nl", &foreign_team).await, Err(ServiceError::NotFound)));
    assert!(matches!(teams::set_leaders(db, now, &anna, f.team_a, &[f.erik]).await, Err(ServiceError::NotFound)));
    let foreign_subject = AuditFilter { subject: Some(f.erik), ..AuditFilter::institution(f.a) };
    assert!(matches!(audit_log::list(db, now, &anna, foreign_subject).await, Err(ServiceError::NotFound)));
    let listed = people::list(db, now, &anna, &PeopleFilter::default(), 0).await.unwrap();
    assert!(listed.items.iter().all(|p| p.id != f.erik));
});

crate::db_test!(async fn roles_are_checked_and_refusals_audited(db) {
    let f = people_fixture(db).await;
    let bram = ctx_of(db, f.bram).await;
    let now = at(2026, 9, 1);
    assert!(matches!(people::list(db, now, &bram, &PeopleFilter::default(), 0).await, Err(ServiceError::Forbidden)));
    assert!(matches!(teams::create(db, now, &bram, "Nieuw", "other").await, Err(ServiceError::Forbidden)));
    assert!(matches!(institutions::list(db, now, &bram).await, Err(ServiceError::Forbidden)));
    let anna = ctx_of(db, f.anna).await;
    assert!(matches!(institutions::create(db, now, &anna, "X", "11XX").await, Err(ServiceError::Forbidden)));
    let denied = audit::list(db, &AuditFilter::institution(f.a)).await.unwrap();
    let denials: Vec<String> = denied.iter().filter(|e| e.action == "access_denied").map(|e| e.details["what"].as_str().unwrap().to_owned()).collect();
    assert_eq!(denials, ["institutions.create", "institutions.list", "teams.create", "people.list"]);
    assert_eq!(denied[0].actor, Some(f.anna));
});

crate::db_test!(async fn people_are_created_edited_and_deactivated_with_audit(db) {
    let f = people_fixture(db).await;
    let anna = ctx_of(db, f.anna).await;
    let now = at(2026, 9, 1);
    let bad = people::create(db, now, &anna, " ", "geen-adres", &[]).await.unwrap_err();
    assert_eq!(problems(bad), [("full_name".into(), FieldProblem::Required), ("email".into(), FieldProblem::Format), ("roles".into(), FieldProblem::Required)]);
    let taken = people::create(db, now, &anna, "Dubbel", "BRAM@lindenhaghe.nl", &[RoleAssignment { role: Role::Mentor, team: None }]).await.unwrap_err();
    assert_eq!(problems(taken), [("email".into(), FieldProblem::Taken)]);
    let leader_without_team = people::create(db, now, &anna, "Leider", "l@x.nl", &[RoleAssignment { role: Role::TeamLeader, team: None }]).await.unwrap_err();
    assert_eq!(problems(leader_without_team), [("team".into(), FieldProblem::Required)]);

    let created = people::create(db, now, &anna, "Eva Nieuw", "eva@lindenhaghe.nl", &[RoleAssignment { role: Role::Mentor, team: Some(f.team_a) }]).await.unwrap();
    people::update(db, now, &anna, created.person, "Eva de Nieuwe", "eva.n@lindenhaghe.nl").await.unwrap();
    people::set_roles(db, now + Duration::days(1), &anna, created.person, &[RoleAssignment { role: Role::TeamLeader, team: Some(f.team_a) }]).await.unwrap();
    let detail = people::detail(db, now, &anna, created.person).await.unwrap();
    assert_eq!(detail.full_name, "Eva de Nieuwe");
    assert_eq!(detail.status, AccountStatus::Invited);
    assert_eq!(detail.roles, [(Role::TeamLeader, Some(f.team_a))]);
    assert_eq!(detail.history.len(), 2, "the mentor period ended, it was not overwritten");

    let daan = ctx_of(db, f.daan).await;
    assert!(Ctx::load(db, f.daan).await.unwrap().is_some());
    people::set_active(db, now, &anna, daan.person, false).await.unwrap();
    assert!(Ctx::load(db, f.daan).await.unwrap().is_none(), "a deactivated person has no context");
    people::set_active(db, now, &anna, daan.person, true).await.unwrap();
    assert!(Ctx::load(db, f.daan).await.unwrap().is_some());
    assert!(matches!(people::set_active(db, now, &anna, f.anna, false).await, Err(ServiceError::Invalid(_))), "not oneself");

    // Daan uses Houvast: his new link goes to him by e-mail, never to Anna;
    // with e-mail off she cannot get one at all.
    let refused = people::issue_link(db, now, &anna, f.daan, false).await.unwrap_err();
    assert_eq!(problems(refused), [("link".into(), FieldProblem::EmailOnly)]);
    match people::issue_link(db, now, &anna, f.daan, true).await.unwrap() {
        people::LinkDelivery::Mail { purpose, to, .. } => {
            assert_eq!(purpose, TokenPurpose::PasswordReset);
            assert_eq!(to.email, "daan@lindenhaghe.nl");
        }
        other => panic!("expected a link by e-mail, got {other:?}"),
    }
    // A new account that holds nothing yet: the activation link is shown.
    match people::issue_link(db, now, &anna, created.person, false).await.unwrap() {
        people::LinkDelivery::Show { purpose, .. } => assert_eq!(purpose, TokenPurpose::Activation),
        other => panic!("expected a link to show, got {other:?}"),
    }

    let logged = actions(db, f.a).await;
    for expected in ["person_created", "activation_link_issued", "person_updated", "roles_changed", "person_deactivated", "person_reactivated", "password_reset_link_issued"] {
        assert!(logged.contains(&expected.to_string()), "{expected} missing from {logged:?}");
    }
});

crate::db_test!(async fn role_changes_take_effect_in_the_next_context(db) {
    let f = people_fixture(db).await;
    let anna = ctx_of(db, f.anna).await;
    let bram = ctx_of(db, f.bram).await;
    assert!(bram.has(Role::Mentor));
    let now = at(2026, 9, 1);
    people::set_roles(db, now, &anna, f.bram, &[RoleAssignment { role: Role::Coordinator, team: None }]).await.unwrap();
    let next = Ctx::load(db, f.bram).await.unwrap().unwrap();
    assert_eq!(next.roles(), [Role::Coordinator]);
    assert!(people::list(db, now, &next, &PeopleFilter::default(), 0).await.is_ok());
    people::set_roles(db, now, &anna, f.bram, &[RoleAssignment { role: Role::Starter, team: None }]).await.unwrap();
    let after = Ctx::load(db, f.bram).await.unwrap().unwrap();
    assert!(matches!(people::list(db, now, &after, &PeopleFilter::default(), 0).await, Err(ServiceError::Forbidden)));
    // Two roles at once: the context holds both active memberships, oldest
    // first, and none of the ended ones.
    let two = [RoleAssignment { role: Role::Coordinator, team: None }, RoleAssignment { role: Role::Mentor, team: None }];
    people::set_roles(db, now, &anna, f.bram, &two).await.unwrap();
    let both = Ctx::load(db, f.bram).await.unwrap().unwrap();
    assert_eq!(both.memberships.len(), 2);
    assert!(both.memberships.windows(2).all(|w| w[0].id < w[1].id));
    assert_eq!(both.memberships, crate::store::memberships::active_for_person(db, f.bram).await.unwrap());
});

crate::db_test!(async fn teams_are_managed_by_coordinators_and_seen_by_their_leaders(db) {
    let f = people_fixture(db).await;
    let anna = ctx_of(db, f.anna).await;
    let now = at(2026, 9, 1);
    assert_eq!(problems(teams::create(db, now, &anna, "", "marsmannetjes").await.unwrap_err()), [("name".into(), FieldProblem::Required), ("sector".into(), FieldProblem::UnknownChoice)]);
    assert_eq!(problems(teams::create(db, now, &anna, "Verpleegkunde", "care_welfare").await.unwrap_err()), [("name".into(), FieldProblem::Taken)]);
    let groen = teams::create(db, now, &anna, "Dierverzorging", "green").await.unwrap();
    teams::update(db, now, &anna, groen, "Dier & Natuur", "green").await.unwrap();
    teams::set_leaders(db, now, &anna, groen, &[f.bram, f.daan]).await.unwrap();
    teams::set_leaders(db, now, &anna, groen, &[f.daan]).await.unwrap();
    let team = teams::get(db, now, &anna, groen).await.unwrap();
    assert_eq!(team.name, "Dier & Natuur");
    assert_eq!(team.leaders.iter().map(|l| l.name.as_str()).collect::<Vec<_>>(), ["Daan Teamleider"]);

    let daan = ctx_of(db, f.daan).await;
    let seen: Vec<String> = teams::list(db, now, &daan).await.unwrap().into_iter().map(|t| t.name).collect();
    assert_eq!(seen, ["Dier & Natuur", "Verpleegkunde"]);
    let all = teams::list(db, now, &anna).await.unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all.iter().find(|t| t.id == f.team_a).unwrap().member_count, 3);
});

crate::db_test!(async fn admins_manage_institutions_and_their_coordinators(db) {
    let f = people_fixture(db).await;
    let admin = admin_ctx(db).await;
    let now = at(2026, 9, 1);
    assert_eq!(institutions::list(db, now, &admin).await.unwrap().len(), 2);
    assert_eq!(problems(institutions::create(db, now, &admin, "Nieuw", "25LX").await.unwrap_err()), [("brin_code".into(), FieldProblem::Taken)]);
    let id = institutions::create(db, now, &admin, "Noorderpoort Test", "12AB").await.unwrap();
    institutions::update(db, now, &admin, id, "Noorderlicht College", "12AB").await.unwrap();
    assert_eq!(institutions::get(db, now, &admin, id).await.unwrap().name.as_str(), "Noorderlicht College");
    let coordinator = institutions::add_coordinator(db, now, &admin, id, "Gert Coördinator", "gert@noorderlicht.nl").await.unwrap();
    let listed = institutions::coordinators(db, now, &admin, id).await.unwrap();
    assert_eq!(listed.iter().map(|p| p.id).collect::<Vec<_>>(), [coordinator.person]);
    assert_eq!(institutions::coordinators(db, now, &admin, f.a).await.unwrap().len(), 1);
    assert_eq!(actions(db, id).await, ["activation_link_issued", "person_created", "institution_renamed", "institution_created"]);
});

crate::db_test!(async fn homes_show_what_each_role_has_today(db) {
    let f = people_fixture(db).await;
    let now = at(2026, 9, 1);
    let anna = ctx_of(db, f.anna).await;
    let coordinator = home::home(db, now, &anna).await.unwrap().coordinator.unwrap();
    assert_eq!((coordinator.teams, coordinator.people, coordinator.invited), (2, 4, 3));
    let cigdem = ctx_of(db, f.cigdem).await;
    let starter = home::home(db, now, &cigdem).await.unwrap();
    assert!(starter.coordinator.is_none());
    let starter = starter.starter.unwrap();
    assert_eq!(starter.team.as_deref(), Some("Verpleegkunde"));
    assert_eq!(starter.coordinators[0].email.as_deref(), Some("anna@lindenhaghe.nl"));
    let admin = admin_ctx(db).await;
    assert_eq!(home::home(db, now, &admin).await.unwrap().admin.unwrap().coordinators, 2);
});

crate::db_test!(async fn own_account_name_and_language(db) {
    let f = people_fixture(db).await;
    let bram = ctx_of(db, f.bram).await;
    let now = at(2026, 9, 1);
    account::rename(db, now, &bram, "Bram de Mentor").await.unwrap();
    account::set_language(db, now, &bram, Language::En).await.unwrap();
    let reloaded = Ctx::load(db, f.bram).await.unwrap().unwrap();
    assert_eq!((reloaded.name.as_str(), reloaded.language), ("Bram de Mentor", Language::En));
    assert_eq!(problems(account::rename(db, now, &bram, "").await.unwrap_err()), [("full_name".into(), FieldProblem::Required)]);
    let _ = PersonId(0);
});

crate::db_test!(async fn any_password_of_12_to_128_characters_works_exactly_as_typed(db) {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    let f = people_fixture(db).await;
    let anna = ctx_of(db, f.anna).await;
    let now = at(2026, 9, 1);
    let mut runner = TestRunner::new(Config { cases: 12, failure_persistence: None, ..Config::default() });
    let counter = std::sync::atomic::AtomicUsize::new(0);
    runner
        .run(&"\\PC{12,128}", |password| {
            let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            tokio::task::block_in_place(|| {
                tokio::runtime::Handle::current().block_on(async {
                    let email = format!("p{n}@lindenhaghe.nl");
                    let created = people::create(db, now, &anna, "Proef Persoon", &email, &[RoleAssignment { role: Role::Mentor, team: None }]).await.unwrap();
                    let set = auth::set_password_with_link(db, now, &created.token, TokenPurpose::Activation, &password, &password).await;
                    if let Err(ServiceError::Invalid(problems)) = &set {
                        // Only guessability may refuse a password of valid length.
                        prop_assert!(problems.iter().all(|p| p.problem == FieldProblem::TooGuessable), "{problems:?}");
                        return Ok(());
                    }
                    prop_assert!(set.is_ok(), "{set:?}");
                    let login = |typed: String| LoginAttempt { email: email.clone(), password: typed, client: format!("c{n}"), device: None };
                    prop_assert!(auth::login(db, now, LoginPolicy::default(), &login(password.clone())).await.is_ok());
                    let shorter: String = password.chars().take(password.chars().count() - 1).collect();
                    prop_assert!(auth::login(db, now, LoginPolicy::default(), &login(shorter)).await.is_err(), "no truncation");
                    Ok(())
                })
            })
        })
        .unwrap();
});

crate::db_test!(async fn audit_lines_link_only_people_of_the_institution(db) {
    let f = people_fixture(db).await;
    let now = at(2026, 9, 1);
    let admin = admin_ctx(db).await;
    let added = institutions::add_coordinator(db, now, &admin, f.a, "Gert Coördinator", "gert@lindenhaghe.nl").await.unwrap();
    let anna = ctx_of(db, f.anna).await;
    let lines = audit_log::list(db, now, &anna, AuditFilter::institution(f.a)).await.unwrap();
    let created = lines.iter().find(|l| l.action == "person_created").unwrap();
    // The deployment admin acted here, by name, but has no page in the institution.
    assert!(created.actor_name.is_some());
    assert_eq!(created.actor_id, None);
    assert_eq!((created.subject_name.as_deref(), created.subject_id), (Some("Gert Coördinator"), Some(added.person)));
});
