//! Effect results, one function per message family: the connection and the lists the steps
//! pick from, the migrate/review/add-account paths' reads, the plan and the apply, and what is
//! only told (notices, failures, the export). `update` routes each message to its family.

use super::App;
use crate::tui::effects::Effect;
use crate::tui::msg::Msg;
use crate::tui::steps::{Flash, Step};

impl App {
    /// The connection and the lists: each goes to the step it belongs to.
    pub(super) fn on_loaded(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Connected(result) => {
                self.connect.on_result(result);
                if let Some(report) = self.connect.connected() {
                    self.host = report.host.clone();
                }
            }
            Msg::Organizations(result) => self.organization.on_loaded(result),
            Msg::Projects { org, result } => self.project.on_loaded(&org, result),
            Msg::Workspaces { project_id, result } => {
                return self.workspaces.on_loaded(&project_id, result)
            }
            Msg::AwsAccess { project_id, result } => self.workspaces.on_access(&project_id, result),
            Msg::Stacks { project_id, stacks } => self.workspaces.on_stacks(&project_id, stacks),
            Msg::Roles(result) => {
                let cx = self.context();
                let provider =
                    crate::core::names::oidc_provider_arn(&cx.partition, &cx.account, &self.host);
                self.role.on_roles(&provider, result);
            }
            Msg::VariableSets { org, result } => self.variables.on_sets(&org, result),
            Msg::PolicyFile { path, result } => {
                let reaction = self.role.on_policy_file(path, result);
                if self.step == Step::Role {
                    return self.react(reaction);
                }
            }
            // The other families are routed before this one (see `update_step`).
            _ => {}
        }
        vec![]
    }

    /// The migrate, review and add-account paths' reads.
    pub(super) fn on_path_read(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Discovered(result) => self.migrate_pick.on_discovered(result),
            Msg::InventoryProgress(p) => self.findings.on_progress(p),
            Msg::InventoryRead(result) => self.findings.on_read(result),
            Msg::Profiles(profiles) => self.add_account.on_profiles(profiles),
            Msg::AwsConnected { profile, result } => return self.on_aws_connected(profile, result),
            // The other families are routed before this one (see `update_step`).
            _ => {}
        }
        vec![]
    }

    /// A plan (setup or migration) or the apply's news. A plan of an older generation (the
    /// answers changed since) is dropped; one made for a retry on Apply applies at once.
    pub(super) fn on_plan_and_apply(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Planned { generation, .. } | Msg::MigrationPlanned { generation, .. }
                if generation != self.plan_generation =>
            {
                vec![]
            }
            Msg::Planned { result, .. } if self.replanning() => match result {
                Ok(plan) if plan.is_empty() => self.finish(plan),
                Ok(plan) => self.apply.start(plan),
                Err(e) => {
                    self.apply.on_replan_failed(e);
                    vec![]
                }
            },
            Msg::Planned { result, .. } => {
                self.review.on_planned(result);
                vec![]
            }
            Msg::MigrationPlanned { result, .. } => {
                let result = result.map(|m| {
                    self.still_receiving = m.still_receiving;
                    self.proof.unreachable = m.unreachable;
                    m.plan
                });
                let result = result.map_err(|e| (e.to_string(), e.is_usage()));
                match result {
                    Ok(plan) if self.replanning() && plan.is_empty() => self.finish(plan),
                    Ok(plan) if self.replanning() => self.apply.start(plan),
                    Err((e, _)) if self.replanning() => {
                        self.apply.on_replan_text(e);
                        vec![]
                    }
                    result => {
                        self.review.on_plan(result);
                        vec![]
                    }
                }
            }
            // The proven keys' deactivation on Done reports progress too: only Apply shows it.
            Msg::Progress(p) if self.step == Step::Apply => {
                self.apply.on_progress(p);
                vec![]
            }
            Msg::Progress(_) => vec![],
            Msg::Applied(result) => {
                let mut effects = match self.apply.on_applied(result) {
                    Some(report) => self.finish(report.plan),
                    None => vec![],
                };
                if self.quit_after_apply {
                    effects.extend(self.quit());
                }
                effects
            }
            // The other families are routed before this one (see `update_step`).
            _ => vec![],
        }
    }

    /// A retry on the Apply screen is planning again.
    fn replanning(&self) -> bool {
        self.step == Step::Apply && self.apply.replanning
    }

    /// What is only told: a notice, a task that failed, the export written (or why not).
    pub(super) fn on_told(&mut self, msg: Msg) -> Vec<Effect> {
        self.flash = match msg {
            Msg::TaskFailed(e) => Some(Flash {
                text: e.to_string(),
                error: true,
            }),
            Msg::Notice(text) => Some(Flash { text, error: false }),
            Msg::Exported(Ok(text)) => Some(Flash { text, error: false }),
            Msg::Exported(Err(e)) => Some(Flash {
                text: e.to_string(),
                error: true,
            }),
            // The other families are routed before this one (see `update_step`).
            _ => return vec![],
        };
        vec![]
    }
}
