//! Roles that fit. A role's trust policy names each of its workspaces, and IAM caps a trust
//! policy at 2,048 characters by default, so a project with more workspaces than one trust can
//! name is split over several roles (`<role>-1`, `<role>-2`, …), each trusting its share.
//! Nothing is widened to make it fit: no project-wide subject stands in for the names.

use super::plan::answers_for;
use super::role_groups::RoleGroup;
use super::{MigrateError, MigrateRequest};
use crate::core::answers::Answers;
use crate::core::plan::{Note, Plan};
use crate::core::planner;
use crate::core::ports::{Iam, Tfc};

/// A group planned: its role's answers and its plan.
pub(super) type PlannedGroup = (RoleGroup, Answers, Plan);

/// `group` cut into `parts` groups of (nearly) equal size, each with its own role suffix.
fn split(group: &RoleGroup, parts: usize) -> Vec<RoleGroup> {
    let per = group.workspaces.len().div_ceil(parts).max(1);
    let chunks = group.workspaces.chunks(per).enumerate();
    chunks
        .map(|(i, chunk)| RoleGroup {
            project: group.project.clone(),
            workspaces: chunk.to_vec(),
            same_as: group.same_as.clone(),
            suffix: Some(match &group.suffix {
                Some(s) => format!("{s}-{}", i + 1),
                None => (i + 1).to_string(),
            }),
        })
        .collect()
}

/// Plans `group` with one role when its trust fits, else over as few roles as fit (more parts
/// each time a part's trust is still too large); a single workspace that does not fit is the
/// error it always was.
pub(super) async fn plan_fitting(
    req: &MigrateRequest,
    iam: &dyn Iam,
    tfc: &dyn Tfc,
    group: &RoleGroup,
) -> Result<Vec<PlannedGroup>, MigrateError> {
    let most = group.workspaces.len().max(1);
    let mut parts = 1;
    loop {
        let groups = match parts {
            1 => vec![group.clone()],
            n => split(group, n),
        };
        match plan_each(req, iam, tfc, groups).await {
            Ok(mut planned) => {
                if parts > 1 {
                    let note = split_note(group, &planned);
                    planned[0].2.notes.push(note);
                }
                return Ok(planned);
            }
            Err(MigrateError::TrustPolicyTooLarge { size, max, .. }) if parts < most => {
                parts = (parts + 1).max(parts * size.div_ceil(max)).min(most);
            }
            Err(e) => return Err(e),
        }
    }
}

async fn plan_each(
    req: &MigrateRequest,
    iam: &dyn Iam,
    tfc: &dyn Tfc,
    groups: Vec<RoleGroup>,
) -> Result<Vec<PlannedGroup>, MigrateError> {
    let mut planned = Vec::new();
    for g in groups {
        let answers = answers_for(req, &g.project, g.workspaces.clone(), Some(&g));
        answers.validate()?;
        let plan = planner::plan(&answers, iam, tfc)
            .await
            .map_err(|e| match e {
                crate::core::error::PlanError::TrustPolicyTooLarge { role, size, max } => {
                    MigrateError::TrustPolicyTooLarge { role, size, max }
                }
                other => MigrateError::Plan(other),
            })?;
        planned.push((g, answers, plan));
    }
    Ok(planned)
}

/// Says why the project's workspaces have several roles.
fn split_note(group: &RoleGroup, planned: &[PlannedGroup]) -> Note {
    let roles: Vec<String> = planned
        .iter()
        .flat_map(|(_, a, _)| a.roles().into_iter().map(|(r, _)| r))
        .collect();
    Note::info(
        format!("project {}", group.project),
        format!(
            "the {} workspaces of project {} get {} roles ({}): one trust policy naming them all would be over IAM's 2,048-character limit, and none is widened to a project-wide subject",
            group.workspaces.len(),
            group.project,
            planned.len(),
            crate::core::text::and_list(&roles),
        ),
    )
}
