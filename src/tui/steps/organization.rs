//! Step 2: the organization, from those the token's user belongs to (loaded asynchronously), as
//! a [`PickStep`].

use crate::core::ports::{Organization, TfcError};
use crate::tui::app::App;
use crate::tui::effects::Effect;
use crate::tui::steps::pick::{Choice, PickStep};
use crate::tui::steps::Context;

/// The organization step's state.
pub type OrganizationStep = PickStep<Organization>;

impl Choice for Organization {
    const NOUNS: (&'static str, &'static str) = ("organization", "organizations");
    const QUESTION: &'static str = "Which organization?";
    const RETRY_ADVICE: &'static str = "Press r to retry.";

    fn name(&self) -> &str {
        &self.name
    }

    fn subtitle(cx: &Context) -> String {
        format!(
            "Organizations your HCP Terraform user can see on {}.",
            cx.host
        )
    }

    fn load(_: &str) -> Effect {
        Effect::LoadOrganizations
    }

    fn arrive(app: &mut App) -> Vec<Effect> {
        app.organization.enter()
    }

    fn when_empty(cx: &Context) -> Option<(String, String)> {
        Some((
            "This user belongs to no organization.".into(),
            format!(
                "Create one at https://{}/app/organizations/new, then come back.",
                cx.host
            ),
        ))
    }
}

/// Organizations are one list per connection: its scope is empty.
impl OrganizationStep {
    /// Loads the list the first time the step is shown.
    pub fn enter(&mut self) -> Vec<Effect> {
        self.show("")
    }

    /// The list arrived (or failed).
    pub fn on_loaded(&mut self, result: Result<Vec<Organization>, TfcError>) {
        self.arrived("", result)
    }
}
