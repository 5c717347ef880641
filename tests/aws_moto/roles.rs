//! Roles: create and read back with the trust policy intact, update the trust policy, delete;
//! absent and duplicate roles; and listing every page.

use tfc_oidc::core::ports::{Iam, IamError};

use crate::support::{assert_one_line, moto_client, new_role, tags, trust_policy, unique};

#[tokio::test]
async fn role_round_trip_keeps_the_trust_policy() {
    let iam = moto_client!();
    let name = unique("r");
    let spec = new_role(&name);
    let created = iam.create_role(&spec).await.unwrap();
    assert_eq!(created.name, name);
    assert_eq!(
        created.arn,
        format!("arn:aws:iam::123456789012:role/{name}")
    );
    assert_eq!(created.path, "/");
    assert_eq!(created.trust_policy, spec.trust_policy);

    let got = iam.get_role(&name).await.unwrap().expect("role exists");
    assert_eq!(
        got.trust_policy, spec.trust_policy,
        "decoded document identical to what was sent"
    );
    assert_eq!(got.description.as_deref(), Some("test role"));
    assert_eq!(got.tags, tags("acme"));
    assert_eq!(got.last_used, None);

    let wider = trust_policy(
        "app.terraform.io",
        "organization:acme:project:p:workspace:*",
    );
    iam.update_trust_policy(&name, &wider).await.unwrap();
    assert_eq!(
        iam.get_role(&name).await.unwrap().unwrap().trust_policy,
        wider
    );

    iam.delete_role(&name).await.unwrap();
    assert_eq!(iam.get_role(&name).await.unwrap(), None);
}

#[tokio::test]
async fn absent_and_duplicate_roles() {
    let iam = moto_client!();
    let name = unique("d");
    assert_eq!(iam.get_role(&name).await.unwrap(), None);
    let e = iam.delete_role(&name).await.unwrap_err();
    assert!(
        matches!(e, IamError::NoSuchEntity(ref w) if w.contains(&name)),
        "{e:?}"
    );
    let e = iam
        .update_trust_policy(&name, &new_role(&name).trust_policy)
        .await
        .unwrap_err();
    assert!(matches!(e, IamError::NoSuchEntity(_)), "{e:?}");

    iam.create_role(&new_role(&name)).await.unwrap();
    let e = iam.create_role(&new_role(&name)).await.unwrap_err();
    assert!(
        matches!(e, IamError::AlreadyExists(ref w) if w.contains(&name)),
        "{e:?}"
    );
    assert_one_line(&e);
    iam.delete_role(&name).await.unwrap();
}

#[tokio::test]
async fn list_roles_follows_every_page() {
    let iam = moto_client!();
    let prefix = unique("l");
    let names: Vec<String> = (0..105).map(|i| format!("{prefix}-{i:03}")).collect();
    for chunk in names.chunks(15) {
        let creates = chunk.iter().map(|n| {
            let iam = &iam;
            async move { iam.create_role(&new_role(n)).await }
        });
        for r in futures::future::join_all(creates).await {
            r.unwrap();
        }
    }
    let all = iam.list_roles().await.unwrap();
    assert!(all.len() >= 105, "only {} roles listed", all.len());
    let ours: Vec<_> = all
        .iter()
        .filter(|r| r.name.starts_with(&format!("{prefix}-")))
        .collect();
    assert_eq!(ours.len(), 105);
    let sample = ours.iter().find(|r| r.name == names[104]).unwrap();
    assert_eq!(sample.trust_policy, new_role(&names[104]).trust_policy);
    assert_eq!(sample.path, "/");
    for n in &names {
        iam.delete_role(n).await.unwrap();
    }
}
