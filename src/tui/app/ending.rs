//! How paths end: the Done screen a finished apply shows, and the [`WizardEnd`] quitting reports
//! (every path the session finished, for the summary printed in the shell).

use super::App;
use crate::core::plan::Plan;
use crate::tui::effects::Effect;
use crate::tui::msg::{Badge, WizardEnd};
use crate::tui::report::Report;
use crate::tui::steps::done::DoneStep;
use crate::tui::steps::{Flash, Screen, Step, Task};

impl App {
    /// Shows the summary of `plan` (the state the setup ends with).
    pub(crate) fn finish(&mut self, plan: Plan) -> Vec<Effect> {
        let static_keys = plan
            .workspaces
            .iter()
            .filter_map(|w| match self.workspaces.badge(&w.name) {
                Some(Badge::StaticKeys(source) | Badge::Both(source)) => {
                    Some((w.name.clone(), source.clone()))
                }
                _ => None,
            })
            .collect();
        self.done = DoneStep::new(plan, self.apply.applied(), static_keys);
        self.done.demo = self.demo;
        if self.task == Task::AddAccount {
            // The keys advice and `m` belong to the default configuration's Done screen (and
            // the ports now reach the other account).
            self.done.static_keys.clear();
            self.done.earlier = self.configurations.clone();
            self.done.alias = self.alias();
        }
        if self.task == Task::Migrate {
            self.done.static_keys.clear();
            self.done.still_receiving = Some(self.still_receiving.clone());
        }
        self.step = Step::Done;
        // A refusal shown during the apply no longer applies.
        self.flash = None;
        match self.task {
            Task::Migrate => self.start_proof(),
            _ => vec![],
        }
    }

    pub(super) fn quit(&mut self) -> Vec<Effect> {
        let outcome = match self.step {
            Step::Apply if self.apply.busy() => {
                self.flash = Some(Flash {
                    text: "Changes are being made: quitting is refused until the apply ends".into(),
                    error: true,
                });
                return vec![];
            }
            Step::Done if self.done.deactivating() => {
                self.flash = Some(Flash {
                    text: "The keys are being deactivated: quitting is refused until it ends"
                        .into(),
                    error: true,
                });
                return vec![];
            }
            Step::Apply => WizardEnd::Partial {
                message: self
                    .apply
                    .failure
                    .clone()
                    .unwrap_or_else(|| "the apply did not finish".into()),
                earlier: Report::of(self.finished.clone()).map(Box::new),
            },
            Step::Done => {
                let mut all = self.finished.clone();
                all.extend(self.done.configured());
                WizardEnd::of(all)
            }
            _ => WizardEnd::of(self.finished.clone()),
        };
        vec![Effect::Quit(outcome)]
    }
}
