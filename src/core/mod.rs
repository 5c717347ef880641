//! The UI-free core: what the user chose, what exists, the plan between them, and applying it.
//! Nothing here knows about terminals, HTTP or the AWS SDK; it talks to the [`ports`].

pub mod accounts;
pub mod activity;
pub mod answers;
pub mod apply;
pub mod change;
pub mod error;
pub mod guardrail;
pub mod inventory;
pub mod journal;
pub mod migrate;
pub mod names;
pub mod permission_policy;
pub mod permissions;
pub mod plan;
pub mod planner;
pub mod ports;
pub mod private_files;
pub mod review;
pub mod text;
pub mod trust;
pub mod undo;
pub mod variables;
pub mod verify;
