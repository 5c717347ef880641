//! Variables on a workspace or in a variable set, as the server keeps them: 422 on a blank or
//! duplicate key (per category), sensitive values never kept.

use crate::core::ports::{NewVariable, TfcError, Variable, VariableCategory};
use serde::{Deserialize, Serialize};

/// A variable as the sandbox keeps it. Sensitive values are dropped on the way in: nothing can
/// read them back, and the demo's saved state must never hold a secret.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StoredVar {
    id: String,
    new: NewVariable,
}

impl StoredVar {
    fn view(&self) -> Variable {
        let n = &self.new;
        Variable {
            id: self.id.clone(),
            key: n.key.clone(),
            value: Some(n.value.clone()).filter(|_| !n.sensitive),
            description: Some(n.description.clone()).filter(|d| !d.is_empty()),
            category: n.category,
            sensitive: n.sensitive,
            hcl: false,
        }
    }
}

pub(crate) fn not_found(what: impl Into<String>) -> TfcError {
    TfcError::NotFound { what: what.into() }
}

pub(crate) fn rejected(detail: &str) -> TfcError {
    TfcError::Rejected {
        status: 422,
        detail: detail.into(),
    }
}

/// 422 on a blank key, or a key already used in the same category by another variable.
fn check_var(vars: &[StoredVar], v: &NewVariable, except: Option<&str>) -> Result<(), TfcError> {
    if v.key.trim().is_empty() {
        return Err(rejected("Key can't be blank"));
    }
    let clash = |s: &&StoredVar| Some(s.id.as_str()) != except && s.new.category == v.category;
    if vars.iter().filter(clash).any(|s| s.new.key == v.key) {
        return Err(rejected("Key has already been taken"));
    }
    Ok(())
}

/// What is stored of a variable: everything but a sensitive value.
fn kept(v: &NewVariable) -> NewVariable {
    let mut v = v.clone();
    if v.sensitive {
        v.value.clear();
    }
    v
}

pub(crate) fn create_var(
    vars: &mut Vec<StoredVar>,
    id: String,
    v: &NewVariable,
) -> Result<Variable, TfcError> {
    check_var(vars, v, None)?;
    vars.push(StoredVar { id, new: kept(v) });
    Ok(vars[vars.len() - 1].view())
}

pub(crate) fn update_var(
    vars: &mut [StoredVar],
    var_id: &str,
    v: &NewVariable,
    what: String,
) -> Result<Variable, TfcError> {
    check_var(vars, v, Some(var_id))?;
    let var = vars
        .iter_mut()
        .find(|s| s.id == var_id)
        .ok_or_else(|| not_found(what))?;
    if var.new.sensitive && !v.sensitive {
        return Err(rejected("Sensitive variables cannot be made non-sensitive"));
    }
    var.new = kept(v);
    Ok(var.view())
}

pub(crate) fn delete_var(
    vars: &mut Vec<StoredVar>,
    id: &str,
    what: String,
) -> Result<(), TfcError> {
    let before = vars.len();
    vars.retain(|s| s.id != id);
    if vars.len() == before {
        return Err(not_found(what));
    }
    Ok(())
}

/// Whether `vars` hold `key` in `category`.
pub(crate) fn holds(vars: &[StoredVar], key: &str, category: VariableCategory) -> bool {
    vars.iter()
        .any(|s| s.new.key == key && s.new.category == category)
}

pub(crate) fn views(vars: &[StoredVar]) -> Vec<Variable> {
    vars.iter().map(StoredVar::view).collect()
}
