//! Step 3: the project, from the chosen organization's projects (loaded asynchronously), as a
//! [`PickStep`] whose scope is the organization.

use crate::core::ports::{Project, TfcError};
use crate::tui::app::App;
use crate::tui::effects::Effect;
use crate::tui::steps::pick::{Choice, PickStep};
use crate::tui::steps::Context;

/// The project step's state.
pub type ProjectStep = PickStep<Project>;

impl Choice for Project {
    const NOUNS: (&'static str, &'static str) = ("project", "projects");
    const QUESTION: &'static str = "Which project?";
    const RETRY_ADVICE: &'static str = "Press r to retry, Esc to choose another organization.";

    fn name(&self) -> &str {
        &self.name
    }

    fn subtitle(cx: &Context) -> String {
        format!(
            "Projects of organization {}. The trust is scoped to one project.",
            cx.organization
        )
    }

    fn load(org: &str) -> Effect {
        Effect::LoadProjects {
            org: org.to_string(),
        }
    }

    fn arrive(app: &mut App) -> Vec<Effect> {
        let org = app.context().organization;
        app.project.enter(&org)
    }
}

impl ProjectStep {
    /// Shows the projects of `org`, loading them unless they are already there.
    pub fn enter(&mut self, org: &str) -> Vec<Effect> {
        self.show(org)
    }

    /// The list of `org` arrived (or failed).
    pub fn on_loaded(&mut self, org: &str, result: Result<Vec<Project>, TfcError>) {
        self.arrived(org, result)
    }
}
