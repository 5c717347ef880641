//! A workspace's [`Badge`]: how its runs reach AWS today, read from the variables a run gets
//! (its own and those of variable sets that reach it), and where static keys come from.

use crate::core::ports::{Tfc, TfcError, Variable};
use crate::tui::msg::{Badge, KeySource};

const PROVIDER_AUTH: &str = "TFC_AWS_PROVIDER_AUTH";
const ACCESS_KEY_ID: &str = "AWS_ACCESS_KEY_ID";

/// Reads the badge of one workspace; a failed read is [`Badge::Unknown`].
pub async fn read_badge(tfc: &dyn Tfc, workspace_id: &str) -> Badge {
    read(tfc, workspace_id)
        .await
        .unwrap_or_else(|e| Badge::Unknown(e.to_string()))
}

async fn read(tfc: &dyn Tfc, workspace_id: &str) -> Result<Badge, TfcError> {
    let vars = match tfc.effective_variables(workspace_id).await {
        Ok(vars) => vars,
        // A server without `/all-vars`: the workspace's own variables are the best we have.
        Err(TfcError::NotFound { .. } | TfcError::Rejected { .. }) => {
            let own = tfc.workspace_variables(workspace_id).await?;
            return Ok(badge_of(&own, KeySource::Workspace));
        }
        Err(e) => return Err(e),
    };
    let source = match vars.iter().find(|v| v.key == ACCESS_KEY_ID) {
        Some(key) => key_source(tfc, workspace_id, &key.id).await?,
        None => KeySource::Workspace,
    };
    Ok(badge_of(&vars, source))
}

/// Where the access key variable `var_id` a run of the workspace gets is defined. Not being
/// able to read the variable sets only costs the set's name.
async fn key_source(
    tfc: &dyn Tfc,
    workspace_id: &str,
    var_id: &str,
) -> Result<KeySource, TfcError> {
    let own = tfc.workspace_variables(workspace_id).await?;
    if own.iter().any(|v| v.id == var_id) {
        return Ok(KeySource::Workspace);
    }
    let Ok(sets) = tfc.workspace_variable_sets(workspace_id).await else {
        return Ok(KeySource::VariableSet(None));
    };
    for set in sets {
        let vars = tfc
            .variable_set_variables(&set.id)
            .await
            .unwrap_or_default();
        if vars.iter().any(|v| v.id == var_id) {
            return Ok(KeySource::VariableSet(Some(set.name)));
        }
    }
    Ok(KeySource::VariableSet(None))
}

/// The badge of a workspace whose runs get `vars`, static keys (if any) coming from `source`.
pub fn badge_of(vars: &[Variable], source: KeySource) -> Badge {
    let oidc = vars.iter().any(|v| {
        v.key == PROVIDER_AUTH
            && v.value
                .as_deref()
                .is_some_and(|x| x.eq_ignore_ascii_case("true"))
    });
    let keys = vars.iter().any(|v| v.key == ACCESS_KEY_ID);
    match (oidc, keys) {
        (true, true) => Badge::Both(source),
        (true, false) => Badge::Oidc,
        (false, true) => Badge::StaticKeys(source),
        (false, false) => Badge::Nothing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ports::{NewVariable, NewVariableSet, VariableCategory};
    use crate::sandbox::SandboxTfc;

    fn env(key: &str, value: &str) -> NewVariable {
        NewVariable {
            key: key.into(),
            value: value.into(),
            description: String::new(),
            category: VariableCategory::Env,
            sensitive: false,
        }
    }

    /// Workspaces `own` (keys of its own), `shared` (keys through set `legacy`) and `oidc`.
    fn fixture() -> (SandboxTfc, [String; 3]) {
        let tfc = SandboxTfc::new("app.terraform.io");
        tfc.add_organization("o");
        let p = tfc.add_project("o", "p").unwrap();
        let ids = ["own", "shared", "oidc"].map(|n| tfc.add_workspace("o", &p, n).unwrap());
        let [own, shared, oidc] = &ids;
        tfc.add_workspace_variable(own, &env(ACCESS_KEY_ID, "AKIA1"))
            .unwrap();
        tfc.add_workspace_variable(oidc, &env(PROVIDER_AUTH, "true"))
            .unwrap();
        let set = NewVariableSet {
            name: "legacy".into(),
            description: String::new(),
        };
        let set = tfc.add_variable_set("o", &set, false).unwrap();
        tfc.add_variable_set_variable(&set.id, &env(ACCESS_KEY_ID, "AKIA2"))
            .unwrap();
        tfc.attach_variable_set(&set.id, &[shared.clone(), oidc.clone()], &[])
            .unwrap();
        (tfc, ids)
    }

    #[tokio::test]
    async fn keys_from_a_variable_set_are_seen_and_named() {
        let (tfc, [own, shared, oidc]) = fixture();
        let legacy = KeySource::VariableSet(Some("legacy".into()));
        assert_eq!(
            read_badge(&tfc, &own).await,
            Badge::StaticKeys(KeySource::Workspace)
        );
        assert_eq!(
            read_badge(&tfc, &shared).await,
            Badge::StaticKeys(legacy.clone())
        );
        assert_eq!(read_badge(&tfc, &oidc).await, Badge::Both(legacy));
    }

    #[tokio::test]
    async fn without_all_vars_the_workspace_s_own_variables_decide() {
        let (tfc, [_, shared, oidc]) = fixture();
        let missing = TfcError::NotFound {
            what: "all-vars".into(),
        };
        tfc.fail_on("effective_variables", 1, missing.clone());
        assert_eq!(read_badge(&tfc, &shared).await, Badge::Nothing);
        tfc.fail_on("effective_variables", 1, missing);
        assert_eq!(read_badge(&tfc, &oidc).await, Badge::Oidc);
        let down = TfcError::Server {
            status: 503,
            detail: "down".into(),
        };
        tfc.fail_on("effective_variables", 1, down.clone());
        assert_eq!(
            read_badge(&tfc, &shared).await,
            Badge::Unknown(down.to_string())
        );
    }

    #[tokio::test]
    async fn unreadable_variable_sets_only_cost_the_name() {
        let (tfc, [_, shared, _]) = fixture();
        let denied = TfcError::NotFound {
            what: "variable sets".into(),
        };
        tfc.fail_on("workspace_variable_sets", 1, denied);
        assert_eq!(
            read_badge(&tfc, &shared).await,
            Badge::StaticKeys(KeySource::VariableSet(None))
        );
    }
}
