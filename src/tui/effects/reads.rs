//! The effects that connect and read: the connection itself (and another AWS account's), the
//! lists the steps pick from, the badges, the roles, a policy file and the AWS profiles. One
//! function per effect; each spawns its task in its slot and posts one [`Msg`] back.

use super::{expand_home, roles, Runner, Slot};
use crate::core::inventory::{self, InventoryScope};
use crate::tfc::ApiToken;
use crate::tui::failure::{AwsConnectFailure, PolicyFileFailure};
use crate::tui::msg::{ConnectReport, Msg};

impl Runner {
    /// [`super::Effect::Connect`]: the ports, and who we are on both sides.
    pub(super) fn connect(&mut self, token: Option<ApiToken>) {
        let connector = self.connector.clone();
        let slot = self.connection.clone();
        self.spawn(Slot::Connect, "connecting", async move {
            let conn = match connector.connect(token).await {
                Ok(conn) => conn,
                Err(e) => return Some(Msg::Connected(Err(e))),
            };
            let (user, caller) = tokio::join!(conn.tfc.account(), conn.iam.caller_identity());
            let report = ConnectReport {
                host: conn.tfc.host().to_string(),
                token_source: conn.token_source.clone(),
                user,
                caller,
            };
            *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(conn);
            Some(Msg::Connected(Ok(report)))
        });
    }

    /// [`super::Effect::ConnectAws`]: another account's IAM port in place of the first's.
    pub(super) fn connect_aws(&mut self, profile: String) {
        let connector = self.connector.clone();
        let slot = self.connection.clone();
        self.spawn(Slot::Connect, "connecting to AWS", async move {
            let trail = connector.connect_trail(&profile).await;
            let result = match connector.connect_aws(&profile).await {
                Ok(iam) => match iam.caller_identity().await {
                    Ok(caller) => {
                        let mut guard = slot.lock().unwrap_or_else(|e| e.into_inner());
                        if let Some(conn) = guard.as_mut() {
                            (conn.iam, conn.trail) = (iam, trail);
                        }
                        Ok(caller)
                    }
                    Err(source) => Err(AwsConnectFailure::Identity {
                        profile: profile.clone(),
                        source,
                    }),
                },
                Err(source) => Err(AwsConnectFailure::Profile {
                    profile: profile.clone(),
                    source,
                }),
            };
            Some(Msg::AwsConnected { profile, result })
        })
    }

    /// [`super::Effect::LoadProfiles`].
    pub(super) fn load_profiles(&mut self) {
        let connector = self.connector.clone();
        self.spawn(Slot::Profiles, "reading the AWS profiles", async move {
            Some(Msg::Profiles(connector.profiles()))
        })
    }

    /// [`super::Effect::LoadOrganizations`].
    pub(super) fn load_organizations(&mut self) {
        let conn = self.connection();
        self.spawn(Slot::Organizations, "listing organizations", async move {
            let result = match conn {
                Ok(c) => c.tfc.organizations().await,
                Err(e) => Err(e),
            };
            Some(Msg::Organizations(result))
        })
    }

    /// [`super::Effect::LoadProjects`].
    pub(super) fn load_projects(&mut self, org: String) {
        let conn = self.connection();
        self.spawn(Slot::Projects, "listing projects", async move {
            let result = match conn {
                Ok(c) => c.tfc.projects(&org).await,
                Err(e) => Err(e),
            };
            Some(Msg::Projects { org, result })
        })
    }

    /// [`super::Effect::LoadWorkspaces`]: the project's workspaces, and its Stacks beside them.
    pub(super) fn load_workspaces(&mut self, org: String, project_id: String) {
        let conn = self.connection();
        let tx = self.tx.clone();
        self.spawn(Slot::Workspaces, "listing workspaces", async move {
            let c = match conn {
                Ok(c) => c,
                Err(e) => {
                    let result = Err(e);
                    return Some(Msg::Workspaces { project_id, result });
                }
            };
            let (result, stacks) = tokio::join!(
                c.tfc.workspaces(&org, Some(&project_id)),
                c.tfc.stacks(&org, Some(&project_id))
            );
            // Stacks are optional (older Terraform Enterprise has none): a failure to list
            // them lists none. Sent first, so the list is built with them.
            let stacks = stacks.unwrap_or_default();
            let _ = tx.send(Msg::Stacks {
                project_id: project_id.clone(),
                stacks,
            });
            Some(Msg::Workspaces { project_id, result })
        })
    }

    /// [`super::Effect::LoadBadges`]: the project read through the inventory.
    pub(super) fn load_badges(&mut self, org: String, project: String, project_id: String) {
        let conn = self.connection();
        self.spawn(Slot::Badges, "reading workspace variables", async move {
            let tfc = conn.ok()?.tfc;
            let scope = InventoryScope {
                host: tfc.host().to_owned(),
                organization: org,
                project: Some(project),
            };
            let result = inventory::read(&scope, tfc.as_ref(), None, &|_| {})
                .await
                .map(|inv| crate::tui::msg::Badge::of_inventory(&inv));
            Some(Msg::AwsAccess { project_id, result })
        })
    }

    /// [`super::Effect::LoadRoles`].
    pub(super) fn load_roles(&mut self, provider: String) {
        let conn = self.connection();
        self.spawn(Slot::Roles, "listing roles", roles::load(conn, provider))
    }

    /// [`super::Effect::LoadVariableSets`].
    pub(super) fn load_variable_sets(&mut self, org: String) {
        let conn = self.connection();
        self.spawn(Slot::VariableSets, "listing variable sets", async move {
            let result = match conn {
                Ok(c) => c.tfc.variable_sets(&org).await,
                Err(e) => Err(e),
            };
            Some(Msg::VariableSets { org, result })
        })
    }

    /// [`super::Effect::ReadPolicyFile`].
    pub(super) fn read_policy_file(&mut self, path: String) {
        self.spawn(Slot::PolicyFile, "reading the policy file", async move {
            let full = expand_home(&path);
            let result = tokio::fs::read_to_string(&full)
                .await
                .map_err(|e| PolicyFileFailure {
                    path: full.clone(),
                    reason: e.to_string(),
                });
            Some(Msg::PolicyFile { path, result })
        })
    }
}
