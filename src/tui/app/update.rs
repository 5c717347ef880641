//! `App::update`: a message in, effects out. Keys go through the keymap to the current step;
//! effect results go to the step they belong to; moving between steps starts the loads the next
//! screen needs.

use super::App;
use crate::core::plan::Plan;
use crate::tui::effects::Effect;
use crate::tui::keymap::{is_edit_key, resolve, Action, Input};
use crate::tui::msg::Msg;
use crate::tui::steps::done::DoneStep;
use crate::tui::steps::export::PromptReaction;
use crate::tui::steps::findings::FixTarget;
use crate::tui::steps::migrate_pick::MigratePickStep;
use crate::tui::steps::review::ReviewStep;
use crate::tui::steps::{Flash, Navigation, Reaction, Screen, Step, Task};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

impl App {
    /// The one entry point: a message in, effects out.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let mut effects = self.update_step(msg);
        // The migration's keys used from now on were used outside HCP Terraform.
        if self.task == Task::Migrate && effects.iter().any(|e| matches!(e, Effect::Apply { .. })) {
            self.proof.applied_at = Some(time::OffsetDateTime::now_utc());
        }
        // What the demo suggests runs against the same sandbox when copied.
        if let Some(flash) = self.flash.as_mut().filter(|_| self.demo) {
            flash.text = crate::core::text::demo_hints(&flash.text);
        }
        // Planning took the run lock; once no plan is reviewed or applied, it goes.
        if self.holds_run_lock && !matches!(self.step, Step::Review | Step::Apply) {
            self.holds_run_lock = false;
            effects.push(Effect::ReleaseRunLock);
        }
        effects
    }

    /// Routes a message to its family: the terminal's, the loads, the paths' reads, the plan
    /// and apply, `verify`'s news, what is only told.
    fn update_step(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(key) => self.on_key(key),
            Msg::Tick => {
                self.tick = self.tick.wrapping_add(1);
                vec![]
            }
            Msg::Resize(w, h) => {
                self.size = (w, h);
                vec![]
            }
            Msg::InputClosed if self.apply.busy() => {
                self.quit_after_apply = true;
                vec![]
            }
            Msg::InputClosed => self.quit(),
            // News goes to the screen that started the run (Done or the findings).
            Msg::Verify(update) if self.findings.verify.running() => {
                self.findings.verify.on_update(update);
                vec![]
            }
            Msg::Verify(update) => {
                self.done.on_verify(update);
                vec![]
            }
            msg @ (Msg::Planned { .. }
            | Msg::MigrationPlanned { .. }
            | Msg::Progress(_)
            | Msg::Applied(_)) => self.on_plan_and_apply(msg),
            msg @ (Msg::Discovered(_)
            | Msg::InventoryProgress(_)
            | Msg::InventoryRead(_)
            | Msg::Profiles(_)
            | Msg::AwsConnected { .. }) => self.on_path_read(msg),
            Msg::Proof(news) => self.on_proof(news),
            msg @ (Msg::TaskFailed(_) | Msg::Notice(_) | Msg::Exported(_)) => self.on_told(msg),
            msg => self.on_loaded(msg),
        }
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        // Esc and a key read together arrive as Alt-key: the wizard binds no Alt keys, so it
        // is the two presses.
        if key.modifiers.contains(KeyModifiers::ALT) && key.code != KeyCode::Esc {
            let mut effects = self.on_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
            if !effects.iter().any(|e| matches!(e, Effect::Quit(_))) {
                effects.extend(
                    self.on_key(KeyEvent::new(key.code, key.modifiers - KeyModifiers::ALT)),
                );
            }
            return effects;
        }
        self.flash = None;
        let text_mode = self.text_mode();
        if self.help {
            self.help = false;
            return match resolve(&key, false) {
                Some(Action::ForceQuit) => self.quit(),
                _ => vec![],
            };
        }
        let input = if text_mode && is_edit_key(&key) {
            Input::Edit(key)
        } else {
            match resolve(&key, text_mode) {
                Some(action) => Input::Action(action),
                None => return vec![],
            }
        };
        match input {
            Input::Action(Action::Quit | Action::ForceQuit) => return self.quit(),
            Input::Action(Action::Help) => {
                self.help = true;
                return vec![];
            }
            Input::Action(Action::Retry)
                if self.step == Step::Review && self.review.error.is_some() =>
            {
                return self.start_plan();
            }
            Input::Action(Action::Retry) if self.step == Step::Apply && !self.apply.busy() => {
                self.apply.replan();
                self.plan_generation += 1;
                return vec![self.plan_effect()];
            }
            _ => {}
        }
        if self.export.open {
            return self.on_export_key(input);
        }
        // The export writes setup's answers: a migration (removals included) is not one.
        if input == Input::Action(Action::Export)
            && self.export_plan().is_some()
            && self.task != Task::Migrate
        {
            self.export.open(&format!("{}.tf", self.role.role_name()));
            return vec![];
        }
        let body = self.body();
        let reaction = self.screens.screen_mut(self.step).handle(input, body);
        self.react(reaction)
    }

    /// The plan an export starts from: the reviewed one, or the one just applied.
    fn export_plan(&self) -> Option<&Plan> {
        match self.step {
            Step::Review => self.review.plan.as_ref(),
            Step::Done => self.done.plan.as_ref(),
            _ => None,
        }
    }

    fn on_export_key(&mut self, input: Input) -> Vec<Effect> {
        match self.export.handle(input) {
            PromptReaction::Stay | PromptReaction::Cancelled => vec![],
            PromptReaction::Refuse(text) => {
                self.flash = Some(Flash { text, error: true });
                vec![]
            }
            PromptReaction::Write { path, format } => match self.export_plan() {
                Some(plan) => vec![Effect::Export {
                    path,
                    format,
                    answers: Box::new(self.answers()),
                    plan: Box::new(plan.clone()),
                }],
                None => vec![],
            },
        }
    }

    pub(super) fn react(&mut self, reaction: Reaction) -> Vec<Effect> {
        let mut effects = reaction.effects;
        if reaction.flash.is_some() {
            self.flash = reaction.flash;
        }
        match reaction.flow {
            Navigation::Stay => {}
            Navigation::Next if self.step == Step::Connect => {
                self.task = self.connect.task();
                effects.extend(self.go(Step::Organization))
            }
            // The path follows the choices: a Stack's has its deployments and no variables.
            Navigation::Next => effects.extend(self.go(self.step.next_on(&self.path()))),
            // The first screen of a path started from a finding: back to the findings.
            Navigation::Back
                if self.from_findings && self.step.prev_on(&self.path()) == Step::Organization =>
            {
                self.from_findings = false;
                self.task = Task::Review;
                self.connect.set_task(Task::Review);
                self.step = Step::Findings;
            }
            Navigation::Back if self.step == Step::AddAccount => self.leave_add_account(),
            Navigation::Back if self.step > Step::Connect && self.step < Step::Apply => {
                self.step = self.step.prev_on(&self.path());
            }
            Navigation::Back => {}
            Navigation::Start(Task::AddAccount) => effects.extend(self.start_add_account()),
            Navigation::Start(task) => effects.extend(self.start_task(task)),
        }
        effects
    }

    /// Starts `task`'s path from the review findings or the Done screen, the organization
    /// kept and the choices filled in: a finding's workspace, or the workspaces just set up that
    /// still hold keys.
    fn start_task(&mut self, task: Task) -> Vec<Effect> {
        let fix = (self.step == Step::Findings)
            .then(|| self.findings.fix())
            .flatten();
        let from_done: Vec<String> = match self.step {
            Step::Done => self
                .done
                .static_keys
                .iter()
                .map(|(w, _)| w.clone())
                .collect(),
            _ => vec![],
        };
        if self.step == Step::Done {
            self.finished.extend(self.done.configured());
        }
        self.from_findings = self.step == Step::Findings;
        // A new plan: what was reviewed or applied before belongs to the other path.
        self.review = ReviewStep::default();
        self.apply = Default::default();
        self.done = DoneStep::default();
        self.still_receiving.clear();
        self.task = task;
        self.connect.set_task(task);
        match task {
            Task::Migrate => {
                let mut pick = MigratePickStep::new(time::OffsetDateTime::now_utc());
                match fix.map(|f| f.target) {
                    Some(FixTarget::Workspace { workspace, .. }) => {
                        pick.preselect = vec![workspace]
                    }
                    Some(FixTarget::VariableSet { id }) => pick.preselect_set = Some(id),
                    None => pick.preselect = from_done,
                }
                self.migrate_pick = pick;
                self.go(Step::MigratePick)
            }
            Task::Setup => {
                if let Some(FixTarget::Workspace { project, workspace }) = fix.map(|f| f.target) {
                    self.project.prefer(&project);
                    self.workspaces.prefer = Some(workspace);
                    self.workspaces.chosen = None;
                }
                self.go(Step::Project)
            }
            Task::Review => self.go(Step::Findings),
            Task::AddAccount => self.start_add_account(),
        }
    }

    /// Shows `step`, starting what it needs.
    pub(super) fn go(&mut self, step: Step) -> Vec<Effect> {
        self.step = step;
        crate::tui::steps::arrive(self, step)
    }

    pub(crate) fn start_plan(&mut self) -> Vec<Effect> {
        self.plan_generation += 1;
        self.review.start();
        vec![self.plan_effect()]
    }

    /// The effect that plans the current path at the current generation (it takes the run
    /// lock first).
    fn plan_effect(&mut self) -> Effect {
        self.holds_run_lock = true;
        match self.task {
            Task::Migrate => Effect::PlanMigration {
                generation: self.plan_generation,
                request: Box::new(self.migrate_request()),
            },
            _ => Effect::Plan {
                generation: self.plan_generation,
                answers: Box::new(self.answers()),
            },
        }
    }
}
