//! School login rules on both backends: settings only for the admin, the
//! secret sealed and never shown, the first login matched by a claim and
//! linked, later logins found by the link alone (a changed e-mail claim
//! moves nothing), another institution behind the same issuer refused,
//! password login switched off per institution, and refusals throttled.

use std::collections::BTreeMap;

use super::*;
use crate::domain::school_login::MatchBy;
use crate::service::auth::{self, LoginAttempt};
use crate::testing::{TEST_PASSWORD, admin_ctx, at, ctx_of, people_fixture};

const ISSUER: &str = "https://connect.test.surfconext.nl";

fn form(claim_value: &str) -> SchoolLoginForm {
    SchoolLoginForm {
        issuer: ISSUER.into(),
        client_id: "houvast".into(),
        client_secret: "client-secret-value".into(),
        institution_claim: "schac_home_organization".into(),
        institution_value: claim_value.into(),
        match_by: "email".into(),
        match_claim: String::new(),
        password_login: true,
        create_accounts: false,
    }
}

fn claims(subject: &str, email: &str, home: &str) -> SchoolClaims {
    SchoolClaims {
        subject: subject.into(),
        values: BTreeMap::from([
            ("email".to_owned(), email.to_owned()),
            ("schac_home_organization".to_owned(), home.to_owned()),
        ]),
    }
}

#[test]
fn a_sealed_secret_opens_only_with_its_key_and_purpose() {
    let key = SecretKey::generate();
    let sealed = key.seal("a", b"geheim");
    assert!(!sealed.contains("geheim"));
    assert_eq!(key.open("a", &sealed).as_deref(), Some(&b"geheim"[..]));
    assert_eq!(key.open("b", &sealed), None);
    assert_eq!(SecretKey::generate().open("a", &sealed), None);
    let mut changed = sealed.into_bytes();
    let last = changed.len() - 1;
    changed[last] = if changed[last] == b'A' { b'B' } else { b'A' };
    assert_eq!(key.open("a", std::str::from_utf8(&changed).unwrap()), None);
    assert!(SecretKey::from_base64("c2hvcnQ=").is_err());
    assert!(SecretKey::from_base64(&base64::engine::general_purpose::STANDARD.encode([7u8; 32])).is_ok());
}

crate::db_test!(async fn only_the_admin_sets_school_login_and_the_secret_stays_sealed(db) {
    let f = people_fixture(db).await;
    let now = at(2026, 9, 1);
    let key = SecretKey::generate();
    let admin = admin_ctx(db).await;
    let anna = ctx_of(db, f.anna).await;
    assert!(matches!(
        configure(db, now, &anna, Some(&key), f.a, &form("lindenhaghe.nl")).await,
        Err(ServiceError::Forbidden)
    ));
    // Without a key on the server there is nothing to seal a secret with.
    let Err(ServiceError::Invalid(errors)) = configure(db, now, &admin, None, f.a, &form("lindenhaghe.nl")).await else {
        panic!("a secret without a key must be refused");
    };
    assert_eq!(errors[0].problem, FieldProblem::NoSecretKey);

    configure(db, now, &admin, Some(&key), f.a, &form("lindenhaghe.nl")).await.unwrap();
    let (_, sealed) = store::get(db, f.a).await.unwrap().unwrap();
    assert!(!sealed.contains("client-secret-value"));
    let login = provider_login(db, Some(&key), f.a).await.unwrap().unwrap();
    assert_eq!(login.client_secret, "client-secret-value");
    assert!(!format!("{login:?}").contains("client-secret-value"));
    assert!(provider_login(db, Some(&SecretKey::generate()), f.a).await.unwrap().is_none());

    // Saving again without a secret keeps the stored one.
    let mut change = form("lindenhaghe.nl");
    change.client_secret.clear();
    change.password_login = false;
    configure(db, now, &admin, None, f.a, &change).await.unwrap();
    assert_eq!(provider_login(db, Some(&key), f.a).await.unwrap().unwrap().client_secret, "client-secret-value");
    assert!(!settings(db, now, &admin, f.a).await.unwrap().unwrap().password_login);
    assert_eq!(buttons(db).await.unwrap().iter().map(|b| b.institution).collect::<Vec<_>>(), vec![f.a]);
    let events = crate::store::audit::list(db, &crate::domain::AuditFilter::institution(f.a)).await.unwrap();
    let changes: Vec<_> = events.iter().filter(|e| e.action == AuditAction::SchoolLoginChanged.code()).collect();
    assert_eq!(changes.len(), 2);
    assert!(!serde_json::to_string(&events.iter().map(|e| &e.details).collect::<Vec<_>>()).unwrap().contains("client-secret-value"));
});

crate::db_test!(async fn the_first_login_links_by_claim_and_later_ones_only_by_subject(db) {
    let f = people_fixture(db).await;
    let now = at(2026, 9, 1);
    let key = SecretKey::generate();
    let admin = admin_ctx(db).await;
    let settings = configure(db, now, &admin, Some(&key), f.a, &form("lindenhaghe.nl")).await.unwrap();
    let policy = LoginPolicy::default();

    // Bram has no password yet: his school account is how he logs in.
    let first = sign_in(db, now, policy, &settings, &claims("sub-bram", "Bram@Lindenhaghe.nl", "lindenhaghe.nl"), "10.0.0.1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.person, f.bram);
    assert!(Ctx::load(db, f.bram).await.unwrap().is_some(), "a linked school account logs in without a password");
    // He uses Houvast now: active, not invited, everywhere the coordinator looks.
    let anna = ctx_of(db, f.anna).await;
    let detail = crate::service::people::detail(db, now, &anna, f.bram).await.unwrap();
    assert_eq!(detail.status, crate::domain::AccountStatus::Active);
    let active = crate::domain::PeopleFilter {
        status: Some(crate::domain::AccountStatus::Active),
        ..Default::default()
    };
    let listed = crate::store::people::list(db, f.a, &active, 50, 0).await.unwrap();
    assert!(listed.iter().any(|p| p.id == f.bram && p.status == crate::domain::AccountStatus::Active));
    let invited_before = crate::store::people::count_invited(db, f.a).await.unwrap();
    assert_eq!(invited_before, 2, "Çiğdem and Daan are still invited; Bram and Anna are not");

    // At the school Bram's address becomes Anna's: the link still opens
    // Bram's account, never Anna's.
    let moved = claims("sub-bram", "anna@lindenhaghe.nl", "lindenhaghe.nl");
    assert_eq!(sign_in(db, now, policy, &settings, &moved, "10.0.0.1").await.unwrap().unwrap().person, f.bram);
    // Another subject claiming Bram's address is not Bram.
    let impostor = claims("sub-other", "bram@lindenhaghe.nl", "lindenhaghe.nl");
    assert_eq!(
        sign_in(db, now, policy, &settings, &impostor, "10.0.0.1").await.unwrap(),
        Err(SchoolLoginRefusal::Unmatched)
    );
    // Nobody with this address: ask the coordinator, no account is made.
    let stranger = claims("sub-new", "nobody@lindenhaghe.nl", "lindenhaghe.nl");
    assert_eq!(
        sign_in(db, now, policy, &settings, &stranger, "10.0.0.1").await.unwrap(),
        Err(SchoolLoginRefusal::Unmatched)
    );
    assert!(store::linked_person(db, ISSUER, "sub-new").await.unwrap().is_none());

    // A deactivated account stays shut.
    let mut tx = db.begin_write().await.unwrap();
    accounts::set_deactivated(&mut tx, f.bram, Some(now)).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        sign_in(db, now, policy, &settings, &moved, "10.0.0.2").await.unwrap(),
        Err(SchoolLoginRefusal::Deactivated)
    );
});

crate::db_test!(async fn a_second_institution_behind_the_same_issuer_keeps_its_own_people(db) {
    let f = people_fixture(db).await;
    let now = at(2026, 9, 1);
    let key = SecretKey::generate();
    let admin = admin_ctx(db).await;
    let a = configure(db, now, &admin, Some(&key), f.a, &form("lindenhaghe.nl")).await.unwrap();
    let b = configure(db, now, &admin, Some(&key), f.b, &form("hanzeland.nl")).await.unwrap();
    let policy = LoginPolicy::default();
    let erik = claims("sub-erik", "erik@hanzeland.nl", "hanzeland.nl");
    // Erik of B through A's button: the provider says he belongs to B.
    assert_eq!(
        sign_in(db, now, policy, &a, &erik, "10.0.0.1").await.unwrap(),
        Err(SchoolLoginRefusal::OtherInstitution)
    );
    // A claim naming A does not find B's people either.
    let erik_as_a = claims("sub-erik", "erik@hanzeland.nl", "lindenhaghe.nl");
    assert_eq!(
        sign_in(db, now, policy, &a, &erik_as_a, "10.0.0.1").await.unwrap(),
        Err(SchoolLoginRefusal::Unmatched)
    );
    assert_eq!(sign_in(db, now, policy, &b, &erik, "10.0.0.1").await.unwrap().unwrap().person, f.erik);
    // Linked to B's person, the subject opens nothing through A.
    assert_eq!(
        sign_in(db, now, policy, &a, &erik_as_a, "10.0.0.1").await.unwrap(),
        Err(SchoolLoginRefusal::OtherInstitution)
    );
});

crate::db_test!(async fn employee_numbers_match_when_the_institution_chooses_them(db) {
    let f = people_fixture(db).await;
    let now = at(2026, 9, 1);
    let key = SecretKey::generate();
    let admin = admin_ctx(db).await;
    let mut tx = db.begin_write().await.unwrap();
    crate::store::people::set_employee_number(&mut tx, f.cigdem, Some("E-4711")).await.unwrap();
    tx.commit().await.unwrap();
    let mut by_number = form("lindenhaghe.nl");
    by_number.match_by = "employee_number".into();
    by_number.match_claim = "employee_number".into();
    let settings = configure(db, now, &admin, Some(&key), f.a, &by_number).await.unwrap();
    assert_eq!(settings.match_by, MatchBy::EmployeeNumber);
    let mut cigdem = claims("sub-c", "cigdem@lindenhaghe.nl", "lindenhaghe.nl");
    // The e-mail address alone does not match when numbers are chosen.
    assert_eq!(
        sign_in(db, now, LoginPolicy::default(), &settings, &cigdem, "10.0.0.1").await.unwrap(),
        Err(SchoolLoginRefusal::Unmatched)
    );
    cigdem.values.insert("employee_number".into(), "E-4711".into());
    assert_eq!(
        sign_in(db, now, LoginPolicy::default(), &settings, &cigdem, "10.0.0.1").await.unwrap().unwrap().person,
        f.cigdem
    );
});

crate::db_test!(async fn password_login_can_be_switched_off_per_institution(db) {
    let f = people_fixture(db).await;
    let now = at(2026, 9, 1);
    let key = SecretKey::generate();
    let admin = admin_ctx(db).await;
    ctx_of(db, f.anna).await;
    ctx_of(db, f.erik).await;
    let attempt = |email: &str| LoginAttempt {
        email: email.into(),
        password: TEST_PASSWORD.into(),
        client: "10.0.0.9".into(),
        device: None,
    };
    let mut school_only = form("lindenhaghe.nl");
    school_only.password_login = false;
    configure(db, now, &admin, Some(&key), f.a, &school_only).await.unwrap();
    let Err(ServiceError::Invalid(errors)) = auth::login(db, now, LoginPolicy::default(), &attempt("anna@lindenhaghe.nl")).await
    else {
        panic!("password login must be refused for a school-login-only institution");
    };
    assert_eq!(errors[0].problem, FieldProblem::SchoolLoginOnly);
    // Another institution, and the deployment admin, keep their passwords.
    assert!(auth::login(db, now, LoginPolicy::default(), &attempt("erik@hanzeland.nl")).await.is_ok());
    remove(db, now, &admin, f.a).await.unwrap();
    assert!(auth::login(db, now, LoginPolicy::default(), &attempt("anna@lindenhaghe.nl")).await.is_ok());
});

crate::db_test!(async fn refused_school_logins_are_throttled_and_audited_without_claims(db) {
    let f = people_fixture(db).await;
    let now = at(2026, 9, 1);
    let key = SecretKey::generate();
    let admin = admin_ctx(db).await;
    let settings = configure(db, now, &admin, Some(&key), f.a, &form("lindenhaghe.nl")).await.unwrap();
    let policy = LoginPolicy { per_address: 3, ..LoginPolicy::default() };
    let stranger = claims("sub-x", "secret.person@elders.nl", "lindenhaghe.nl");
    for _ in 0..3 {
        assert_eq!(
            sign_in(db, now, policy, &settings, &stranger, "10.0.0.7").await.unwrap(),
            Err(SchoolLoginRefusal::Unmatched)
        );
    }
    // Even the right person waits on this client now; another client does not.
    let bram = claims("sub-bram", "bram@lindenhaghe.nl", "lindenhaghe.nl");
    assert_eq!(
        sign_in(db, now, policy, &settings, &bram, "10.0.0.7").await.unwrap(),
        Err(SchoolLoginRefusal::Throttled)
    );
    assert!(sign_in(db, now, policy, &settings, &bram, "10.0.0.8").await.unwrap().is_ok());
    let rows = crate::store::audit::list(db, &crate::domain::AuditFilter::institution(f.a)).await.unwrap();
    let text = serde_json::to_string(&rows.iter().map(|e| &e.details).collect::<Vec<_>>()).unwrap();
    assert!(text.contains("\"reason\":\"unmatched\""));
    assert!(!text.contains("secret.person"), "no claim of a refused login is kept");
});

crate::db_test!(async fn an_institution_may_let_unknown_people_in_without_a_role(db) {
    let f = people_fixture(db).await;
    let now = at(2026, 9, 1);
    let key = SecretKey::generate();
    let admin = admin_ctx(db).await;
    let mut open = form("lindenhaghe.nl");
    open.create_accounts = true;
    let settings = configure(db, now, &admin, Some(&key), f.a, &open).await.unwrap();
    let mut newcomer = claims("sub-new", "Nieuw@Lindenhaghe.nl", "lindenhaghe.nl");
    newcomer.values.insert("name".into(), "Nina Nieuw".into());
    let logged_in = sign_in(db, now, LoginPolicy::default(), &settings, &newcomer, "10.0.0.1")
        .await
        .unwrap()
        .unwrap();
    let person = crate::store::people::get(db, logged_in.person).await.unwrap();
    assert_eq!(person.full_name.as_str(), "Nina Nieuw");
    assert_eq!(person.institution, Some(f.a));
    assert_eq!(person.email.as_ref().map(|e| e.as_str()), Some("nieuw@lindenhaghe.nl"));
    let ctx = Ctx::load(db, logged_in.person).await.unwrap().expect("the new account logs in");
    assert!(ctx.roles().is_empty(), "no role until the coordinator gives one");
    // The next login finds the same account through the link.
    let again = sign_in(db, now, LoginPolicy::default(), &settings, &newcomer, "10.0.0.1").await.unwrap().unwrap();
    assert_eq!(again.person, logged_in.person);
    // Someone of another institution behind the same issuer gets nothing.
    let outsider = claims("sub-out", "iemand@hanzeland.nl", "hanzeland.nl");
    assert_eq!(
        sign_in(db, now, LoginPolicy::default(), &settings, &outsider, "10.0.0.1").await.unwrap(),
        Err(SchoolLoginRefusal::OtherInstitution)
    );
    // An address already used in another institution makes no second person.
    let taken = claims("sub-erik", "erik@hanzeland.nl", "lindenhaghe.nl");
    assert_eq!(
        sign_in(db, now, LoginPolicy::default(), &settings, &taken, "10.0.0.1").await.unwrap(),
        Err(SchoolLoginRefusal::Unmatched)
    );
    let events = crate::store::audit::list(db, &crate::domain::AuditFilter::institution(f.a)).await.unwrap();
    assert!(events.iter().any(|e| e.action == AuditAction::PersonCreated.code() && e.subject == Some(logged_in.person)));
});
