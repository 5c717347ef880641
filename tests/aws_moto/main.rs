//! `IamClient` (the real AWS adapter) against moto, and `OrganizationsClient` against its Organizations.
//!
//! `scripts/test` starts `moto_server` on a free loopback port and exports
//! `AWS_ENDPOINT_URL=http://127.0.0.1:PORT`, test credentials, `AWS_REGION=us-east-1` and
//! `TFC_OIDC_REQUIRE_MOTO=1`. Without `AWS_ENDPOINT_URL` these tests skip (or fail when moto is
//! required). moto's state is shared by every test of this binary (and by earlier runs against the
//! same server), so each test uses its own unique names.
//!
//! What moto (5.2) lacks or does differently from IAM, checked against its source:
//! - `AddClientIDToOpenIDConnectProvider` and `RemoveClientIDFromOpenIDConnectProvider` are not
//!   implemented: moto answers HTTP 500 with an HTML page. The test below only checks that the
//!   adapter turns that into a one-line `IamError`; adding/removing audiences is covered by the
//!   in-memory sandbox's tests instead.
//! - `GetOpenIDConnectProvider` and friends work; moto stores the URL without the scheme, as IAM.
//! - moto never records `RoleLastUsed`, so `last_used` stays `None` here.
//! - `ListRoles` pages by 100 like IAM; moto also returns tags in ListRoles (IAM does not).
//! - Policy validation: moto checks inline policies (`PutRolePolicy`) and trust policies on
//!   `UpdateAssumeRolePolicy` for JSON shape and grammar (`MalformedPolicyDocument`), but not the
//!   trust policy given to `CreateRole`, and never that principals, actions or ARNs exist.
//! - AWS-managed policies (`arn:aws:iam::aws:policy/ReadOnlyAccess`...) exist only when moto is
//!   started with `MOTO_IAM_LOAD_MANAGED_POLICIES=true`; the test attaches a customer-managed
//!   policy it creates, and ReadOnlyAccess too when moto has it.
//! - `GetAccessKeyLastUsed` for an unknown key: moto answers `NoSuchEntity` (real IAM may answer
//!   `AccessDenied` for keys of other accounts).
//!
//! One test binary with a module per concern, so the crate is linked once for all of them.

mod access_keys;
mod identity;
mod organizations;
mod policies;
mod providers;
mod recorded;
mod roles;
mod support;
mod users;
