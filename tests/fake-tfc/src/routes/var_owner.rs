//! The show/create/update/delete handlers of a single variable, written once for both owners of
//! variables: workspaces (`/workspaces/:id/vars[/:var_id]`) and variable sets
//! (`/varsets/:id/relationships/vars[/:var_id]`). The owners differ only in what `VarOwner`
//! says; the order of lookups, id generation and checks is the same for both.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{json, Value};

use super::vars::{build, check, parse_var_body, updated, varset_var_json, ws_var_json};
use super::varset_input::global_conflict;
use crate::jsonapi::{doc, no_content, not_found, ok, ApiErr, HResult};
use crate::server::Shared;
use crate::state::{now_iso, State as Model, Var, Varset, Workspace};

/// Something that holds a list of variables: a workspace or a variable set.
pub(crate) trait VarOwner: Send + Sync + 'static {
    /// Status of a successful create.
    const CREATED: StatusCode;

    fn find<'a>(st: &'a Model, id: &str) -> Option<&'a Self>;
    fn find_mut<'a>(st: &'a mut Model, id: &str) -> Option<&'a mut Self>;
    fn vars(&self) -> &[Var];
    fn vars_mut(&mut self) -> &mut Vec<Var>;
    /// A variable of this owner as the API shows it.
    fn var_json(&self, v: &Var) -> Value;
    /// Rules beyond key+category uniqueness that `vars`, new or changed, must pass.
    fn admits(&self, st: &Model, vars: &[Var]) -> Result<(), ApiErr>;
    /// Notes that the variables changed.
    fn touch(&mut self);
}

impl VarOwner for Workspace {
    const CREATED: StatusCode = StatusCode::CREATED;

    fn find<'a>(st: &'a Model, id: &str) -> Option<&'a Self> {
        st.workspace(id)
    }
    fn find_mut<'a>(st: &'a mut Model, id: &str) -> Option<&'a mut Self> {
        st.workspace_mut(id)
    }
    fn vars(&self) -> &[Var] {
        &self.vars
    }
    fn vars_mut(&mut self) -> &mut Vec<Var> {
        &mut self.vars
    }
    fn var_json(&self, v: &Var) -> Value {
        ws_var_json(self, v)
    }
    fn admits(&self, _st: &Model, _vars: &[Var]) -> Result<(), ApiErr> {
        Ok(())
    }
    fn touch(&mut self) {}
}

impl VarOwner for Varset {
    // The documented status is 200, not 201.
    const CREATED: StatusCode = StatusCode::OK;

    fn find<'a>(st: &'a Model, id: &str) -> Option<&'a Self> {
        st.varset(id)
    }
    fn find_mut<'a>(st: &'a mut Model, id: &str) -> Option<&'a mut Self> {
        st.varset_mut(id)
    }
    fn vars(&self) -> &[Var] {
        &self.vars
    }
    fn vars_mut(&mut self) -> &mut Vec<Var> {
        &mut self.vars
    }
    fn var_json(&self, v: &Var) -> Value {
        varset_var_json(self, v)
    }
    fn admits(&self, st: &Model, vars: &[Var]) -> Result<(), ApiErr> {
        if self.global {
            global_conflict(st, &self.org, &self.id, vars)?;
        }
        Ok(())
    }
    fn touch(&mut self) {
        self.updated_at = now_iso();
    }
}

fn position(vars: &[Var], var_id: &str) -> Result<usize, ApiErr> {
    vars.iter()
        .position(|v| v.id == var_id)
        .ok_or_else(not_found)
}

pub(super) async fn show<O: VarOwner>(
    State(sh): State<Arc<Shared>>,
    Path((id, var_id)): Path<(String, String)>,
) -> HResult {
    let st = sh.st();
    let owner = O::find(&st, &id).ok_or_else(not_found)?;
    let v = &owner.vars()[position(owner.vars(), &var_id)?];
    ok(json!({ "data": owner.var_json(v) }))
}

pub(super) async fn create<O: VarOwner>(
    State(sh): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> HResult {
    let a = parse_var_body(&body)?;
    let mut st = sh.st();
    let owner = O::find(&st, &id).ok_or_else(not_found)?;
    check(
        a.key.as_deref().unwrap_or(""),
        a.category.as_deref().unwrap_or(""),
        owner.vars(),
        None,
    )?;
    let var = build(&mut st, a);
    let owner = O::find(&st, &id).ok_or_else(not_found)?;
    owner.admits(&st, std::slice::from_ref(&var))?;
    let owner = O::find_mut(&mut st, &id).ok_or_else(not_found)?;
    owner.vars_mut().push(var.clone());
    owner.touch();
    Ok(doc(O::CREATED, json!({ "data": owner.var_json(&var) })))
}

pub(super) async fn update<O: VarOwner>(
    State(sh): State<Arc<Shared>>,
    Path((id, var_id)): Path<(String, String)>,
    body: Bytes,
) -> HResult {
    let a = parse_var_body(&body)?;
    let mut st = sh.st();
    let version = st.version_id();
    let owner = O::find(&st, &id).ok_or_else(not_found)?;
    let i = position(owner.vars(), &var_id)?;
    let n = updated(&owner.vars()[i], a, owner.vars(), version)?;
    owner.admits(&st, std::slice::from_ref(&n))?;
    let owner = O::find_mut(&mut st, &id).ok_or_else(not_found)?;
    owner.vars_mut()[i] = n;
    owner.touch();
    ok(json!({ "data": owner.var_json(&owner.vars()[i]) }))
}

pub(super) async fn destroy<O: VarOwner>(
    State(sh): State<Arc<Shared>>,
    Path((id, var_id)): Path<(String, String)>,
) -> HResult {
    let mut st = sh.st();
    let owner = O::find_mut(&mut st, &id).ok_or_else(not_found)?;
    let i = position(owner.vars(), &var_id)?;
    owner.vars_mut().remove(i);
    owner.touch();
    no_content()
}
