//! The migrate path's first screen: every workspace that receives static AWS keys, grouped by
//! project, with where its key comes from, the key's age and last use when IAM knows them. Space
//! picks workspaces (or "every workspace listed"), Enter continues to the role screens. Nothing
//! starts checked: removing keys is chosen workspace by workspace, never by pressing Enter.
//!
//! The app runs [`crate::core::migrate::discover_keys`] (as an effect) on entering and feeds its
//! result to [`MigratePickStep::on_discovered`]; [`MigratePickStep::chosen`] then becomes the
//! `MigrateRequest`'s `MigrationScope::Workspaces`. Coming from a review finding or the setup
//! path's Done screen, [`MigratePickStep::preselect`] names the workspaces to pick.

use crate::core::migrate::keys::days_since;
use crate::core::migrate::{Discovery, KeyOwner, KeyedWorkspace};
use crate::core::variables::{Reach, VariableSource};
use crate::tui::app::App;
use crate::tui::effects::Effect;
use crate::tui::failure::DiscoverFailure;
use crate::tui::keymap::{hint, pick_many_hints, Action, Hint, Input};
use crate::tui::steps::role_permissions::KeyUserOffer;
use crate::tui::steps::Screen;
use crate::tui::steps::{Reaction, ViewCtx};
use crate::tui::widgets::filter_list::{FilterList, ListEvent, Match};
use crate::tui::widgets::text::{draw_intro, intro, loading, problem};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use std::collections::BTreeSet;
use time::OffsetDateTime;

/// The first row of the list.
const EVERY: &str = "Every workspace listed";

/// What the screen says while nothing is checked, and why Enter does not go on.
const NOTHING_CHECKED: &str =
    "Nothing checked yet: Space checks a workspace, or every one on the first row.";

/// The migrate pick step's state.
#[derive(Debug, Clone)]
pub struct MigratePickStep {
    /// Row 0 is [`EVERY`], row `i + 1` is `workspaces[i]`.
    pub list: FilterList,
    discovery: Option<Discovery>,
    /// Ages are counted to this time.
    now: OffsetDateTime,
    pub loading: bool,
    error: Option<DiscoverFailure>,
    all: bool,
    selected: BTreeSet<usize>,
    /// The workspaces picked, once Enter was pressed.
    pub chosen: Option<Vec<String>>,
    /// Also mark the IAM keys nobody else uses `Inactive` (`d`); `undo` reactivates them.
    pub deactivate_keys: bool,
    /// Workspaces to pick when discovery arrives (instead of every workspace listed).
    pub preselect: Vec<String>,
    /// Also pick the workspaces that receive keys from this variable set (by id).
    pub preselect_set: Option<String>,
    /// The organization discovery ran for (run again only when it changes).
    read_for: Option<String>,
}

impl MigratePickStep {
    /// An empty list, waiting for discovery; ages are counted to `now`.
    pub fn new(now: OffsetDateTime) -> MigratePickStep {
        let mut list = FilterList::new(false);
        list.set_uncounted(1);
        MigratePickStep {
            list,
            discovery: None,
            now,
            loading: false,
            error: None,
            all: false,
            selected: BTreeSet::new(),
            chosen: None,
            deactivate_keys: false,
            preselect: Vec::new(),
            preselect_set: None,
            read_for: None,
        }
    }

    /// Discovery started (the caller runs `discover_keys`); the preselection is kept.
    pub fn start(&mut self) {
        let preselect = std::mem::take(&mut self.preselect);
        let preselect_set = self.preselect_set.take();
        let deactivate = self.deactivate_keys;
        *self = MigratePickStep::new(self.now);
        self.preselect = preselect;
        self.preselect_set = preselect_set;
        self.deactivate_keys = deactivate;
        self.loading = true;
    }

    /// Discovery for `org` starts unless it already ran (or failed): the effect to run.
    pub fn enter(&mut self, org: &str) -> Vec<crate::tui::effects::Effect> {
        if self.read_for.as_deref() == Some(org) && self.error.is_none() && !self.loading {
            self.apply_preselect();
            return vec![];
        }
        self.start();
        self.read_for = Some(org.to_string());
        vec![crate::tui::effects::Effect::DiscoverKeys {
            org: org.to_string(),
        }]
    }

    /// Picks the preselected workspaces (those that receive keys), if any were named.
    fn apply_preselect(&mut self) {
        let names = std::mem::take(&mut self.preselect);
        let set = self.preselect_set.take();
        let from_set = |w: &KeyedWorkspace| {
            set.is_some() && w.sources.iter().any(|s| s.set_id() == set.as_deref())
        };
        let picked: BTreeSet<usize> = self
            .workspaces()
            .iter()
            .enumerate()
            .filter(|(_, w)| names.contains(&w.name) || from_set(w))
            .map(|(i, _)| i)
            .collect();
        if picked.is_empty() {
            return;
        }
        self.all = false;
        if let Some(first) = picked.iter().next() {
            let name = self.workspaces()[*first].name.clone();
            self.list.highlight_text(&name);
        }
        self.selected = picked;
    }

    /// The projects of the workspaces `names`, each once, in list order.
    pub fn projects_of(&self, names: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for w in self.workspaces() {
            if names.contains(&w.name) && !out.contains(&w.project) {
                out.push(w.project.clone());
            }
        }
        out
    }

    fn workspaces(&self) -> &[KeyedWorkspace] {
        self.discovery.as_ref().map_or(&[], |d| &d.workspaces)
    }

    /// What the keys' IAM users of workspaces `chosen` may do, for the role screen.
    pub fn key_user_offer(&self, chosen: &[String]) -> KeyUserOffer {
        let users = self.discovery.as_ref().map(|d| d.key_users_of(chosen));
        KeyUserOffer::of(&users.unwrap_or_default())
    }

    /// Discovery's result arrived.
    pub fn on_discovered(&mut self, result: Result<Discovery, DiscoverFailure>) {
        self.loading = false;
        match result {
            Ok(d) => {
                let mut items = vec![EVERY.to_string()];
                items.extend(d.workspaces.iter().map(|w| w.name.clone()));
                self.list.set_items(items);
                self.discovery = Some(d);
                self.apply_preselect();
            }
            Err(e) => self.error = Some(e),
        }
    }

    /// What Enter would choose now: the checked workspaces (none until one is checked).
    fn would_choose(&self) -> Vec<String> {
        let workspaces = self.workspaces();
        if self.all {
            return workspaces.iter().map(|w| w.name.clone()).collect();
        }
        let picked = |i: &usize| workspaces[*i].name.clone();
        self.selected.iter().map(picked).collect()
    }

    /// Space on workspace `i`: with "every" checked, every other one stays checked.
    fn toggle(&mut self, i: usize) {
        if self.all {
            self.all = false;
            self.selected = (0..self.workspaces().len()).filter(|j| *j != i).collect();
        } else if !self.selected.remove(&i) {
            self.selected.insert(i);
        }
    }

    /// `set NAME` / `workspace`, age and last use of the key runs take.
    fn key_text(&self, ws: &KeyedWorkspace) -> (String, String) {
        let Some(source) = ws.effective().or(ws.sources.first()) else {
            return (String::new(), String::new());
        };
        let mut from = match &source.source {
            VariableSource::Workspace => "own variables".to_string(),
            VariableSource::VariableSet { name, reach, .. } => match reach {
                Reach::Global => format!("global set {name}"),
                _ => format!("set {name}"),
            },
        };
        if ws.sources.len() > 1 {
            from.push_str(&format!(" +{}", ws.sources.len() - 1));
        }
        let owner = source
            .key_id
            .as_ref()
            .and_then(|id| self.discovery.as_ref()?.keys.get(id));
        let facts = match owner {
            Some(KeyOwner::ThisAccount {
                created, last_used, ..
            }) => {
                let age = created.as_deref().and_then(|c| days_since(c, self.now));
                let used = last_used.as_deref().and_then(|u| days_since(u, self.now));
                let age = age.map_or_else(|| "age ?".into(), |d| format!("{d}d old"));
                let used = match used {
                    None => "never used".to_string(),
                    Some(0) => "used today".to_string(),
                    Some(d) => format!("used {d}d ago"),
                };
                format!("{age}, {used}")
            }
            Some(KeyOwner::OtherAccount { .. }) => "another AWS account".into(),
            Some(KeyOwner::Unknown { .. }) => "unknown to IAM".into(),
            None if source.key_id.is_none() => "key id not readable".into(),
            None => String::new(),
        };
        (from, facts)
    }

    fn row(&self, m: &Match, highlighted: bool, widths: [usize; 3], v: &ViewCtx) -> Line<'static> {
        let t = v.theme;
        let marker = if highlighted { " › " } else { "   " };
        if m.index == 0 {
            let check = if self.all { "[x] " } else { "[ ] " };
            let mut spans = vec![Span::raw(marker), Span::raw(check)];
            spans.extend(self.list.label_spans(m, t));
            return Line::from(spans);
        }
        let i = m.index - 1;
        let ws = &self.workspaces()[i];
        let check = if self.all || self.selected.contains(&i) {
            "[x] "
        } else {
            "[ ] "
        };
        // Grouped by project: the project's name on the first visible row of each group.
        let visible = self.list.visible();
        let pos = visible.iter().position(|x| x.index == m.index).unwrap_or(0);
        let first_of_group = pos == 0
            || visible[pos - 1].index == 0
            || self.workspaces()[visible[pos - 1].index - 1].project != ws.project;
        let project = if first_of_group {
            ws.project.as_str()
        } else {
            ""
        };
        let (from, facts) = self.key_text(ws);
        let mut spans = vec![
            Span::raw(marker),
            Span::raw(check),
            Span::styled(format!("{project:<w$}  ", w = widths[0]), t.dim()),
        ];
        spans.extend(self.list.label_spans(m, t));
        let pad = widths[1].saturating_sub(ws.name.chars().count()) + 2;
        spans.push(Span::raw(" ".repeat(pad)));
        spans.push(Span::styled(format!("{from:<w$}", w = widths[2]), t.warn()));
        if !facts.is_empty() {
            spans.push(Span::styled(format!("  {facts}"), t.dim()));
        }
        Line::from(spans)
    }
}

impl Screen for MigratePickStep {
    /// Handles a key.
    fn handle(&mut self, input: Input, _body: (u16, u16)) -> Reaction {
        match self.list.handle(&input) {
            ListEvent::Toggle(0) => {
                self.all = !self.all;
                self.selected.clear();
            }
            ListEvent::Toggle(i) => self.toggle(i - 1),
            ListEvent::Accept(_) if self.workspaces().is_empty() => {
                return Reaction::refuse(
                    "No workspace receives static AWS keys: nothing to migrate",
                )
            }
            ListEvent::Accept(_) if self.would_choose().is_empty() => {
                return Reaction::refuse(NOTHING_CHECKED)
            }
            ListEvent::Accept(_) => {
                self.chosen = Some(self.would_choose());
                return Reaction::next();
            }
            ListEvent::Unhandled if input == Input::Action(Action::Back) => {
                return Reaction::back()
            }
            ListEvent::Unhandled if input == Input::Action(Action::Deactivate) => {
                self.deactivate_keys = !self.deactivate_keys;
            }
            ListEvent::Unhandled if input == Input::Action(Action::Accept) && self.loading => {
                return Reaction::info("Still looking for static keys…")
            }
            _ => {}
        }
        Reaction::stay()
    }

    /// The keys this screen offers now.
    fn hints(&self) -> Vec<Hint> {
        if self.error.is_some() {
            return vec![hint(Action::Back, "back")];
        }
        let deactivate = hint(Action::Deactivate, "deactivate keys");
        pick_many_hints(self.list.filtering(), &[deactivate])
    }

    /// Draws the step into `area`.
    fn view(&self, frame: &mut Frame, area: Rect, v: &ViewCtx) {
        let t = v.theme;
        let intro = intro(
            "Which workspaces should move off static AWS keys?",
            "They get OIDC first; then their key variables are removed.",
            t,
            area.width as usize,
        );
        let [body, bottom] = draw_intro(frame, area, intro, 1);
        if self.loading {
            let text = "Looking for static keys in workspaces and variable sets…";
            frame.render_widget(Paragraph::new(loading(text, v.spinner, t)), body);
            return;
        }
        if let Some(e) = &self.error {
            let lines = problem(&e.to_string(), e.advice(), t, body.width as usize);
            frame.render_widget(Paragraph::new(lines), body);
            return;
        }
        let width = |f: &dyn Fn(&KeyedWorkspace) -> usize| {
            self.workspaces().iter().map(f).max().unwrap_or(0).min(20)
        };
        let widths = [
            width(&|w| w.project.chars().count()),
            width(&|w| w.name.chars().count()),
            width(&|w| self.key_text(w).0.chars().count()),
        ];
        self.list
            .render(frame, body, t, ("workspace", "workspaces"), |m, hl| {
                self.row(m, hl, widths, v)
            });
        let chosen = self.would_choose();
        let mut summary = match chosen.len() {
            0 if self.workspaces().is_empty() => "No workspace receives static AWS keys.".into(),
            0 => NOTHING_CHECKED.to_string(),
            1 => format!("Enter migrates workspace {}.", chosen[0]),
            n => format!("Enter migrates {n} workspaces."),
        };
        if !chosen.is_empty() {
            summary.push_str(if self.deactivate_keys {
                " Freed IAM keys: deactivated."
            } else {
                " IAM keys stay active (d)."
            });
        }
        let style = if chosen.is_empty() {
            t.warn()
        } else {
            t.accent()
        };
        frame.render_widget(Paragraph::new(Line::styled(summary, style)), bottom);
    }

    fn busy(&self) -> bool {
        self.loading
    }

    fn text_mode(&self) -> bool {
        self.list.filtering()
    }

    fn arrive(app: &mut App) -> Vec<Effect> {
        let org = app.context().organization;
        app.migrate_pick.enter(&org)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::migrate::{discover_keys, MigrationScope};
    use crate::sandbox::{Sandbox, DEMO_HOST};
    use crate::tui::harness::buffer_text;
    use crate::tui::steps::{Context, Navigation};
    use crate::tui::theme::Theme;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;

    async fn demo_step() -> MigratePickStep {
        let sb = Sandbox::demo();
        let (iam, tfc) = (sb.iam.as_ref(), sb.tfc.as_ref());
        let found = discover_keys(
            DEMO_HOST,
            "acme-corp",
            MigrationScope::All,
            iam,
            tfc,
            &|_| {},
        )
        .await;
        let mut step = MigratePickStep::new(OffsetDateTime::now_utc());
        step.start();
        step.on_discovered(found.map_err(DiscoverFailure::Discovery));
        step
    }

    fn screen(step: &MigratePickStep) -> String {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        let cx = Context::default();
        let v = ViewCtx {
            theme: Theme::plain(),
            spinner: "*",
            cx: &cx,
        };
        let done = terminal
            .draw(|f| step.view(f, f.area(), &v))
            .expect("TestBackend never fails");
        buffer_text(done.buffer)
    }

    fn key(code: KeyCode) -> Input {
        let k = KeyEvent::new(code, KeyModifiers::NONE);
        match crate::tui::keymap::resolve(&k, false) {
            Some(a) => Input::Action(a),
            None => Input::Edit(k),
        }
    }

    #[tokio::test]
    async fn lists_the_demo_keys_grouped_by_project_with_ages() {
        let mut step = demo_step().await;
        insta::assert_snapshot!("migrate_pick_80x24", screen(&step));
        // Pick payments-worker alone: down to it (past etl and warehouse), Space on it.
        step.handle(key(KeyCode::Down), (78, 19));
        step.handle(key(KeyCode::Down), (78, 19));
        step.handle(key(KeyCode::Down), (78, 19));
        step.handle(key(KeyCode::Char(' ')), (78, 19));
        let r = step.handle(key(KeyCode::Enter), (78, 19));
        assert_eq!(r.flow, Navigation::Next);
        assert_eq!(step.chosen, Some(vec!["payments-worker".to_string()]));
    }

    #[tokio::test]
    async fn starts_unchecked_and_enter_alone_goes_nowhere() {
        let mut step = demo_step().await;
        let shown = screen(&step);
        assert!(!shown.contains("[x]"), "{shown}");
        assert!(shown.contains("Nothing checked yet"), "{shown}");
        // Enter on the first workspace, or on "every", chooses nothing and says why.
        for moves in [0, 1] {
            for _ in 0..moves {
                step.handle(key(KeyCode::Down), (78, 19));
            }
            let r = step.handle(key(KeyCode::Enter), (78, 19));
            assert_eq!(r.flow, Navigation::Stay);
            let flash = r.flash.expect("a reason");
            assert!(
                flash.error && flash.text.contains("Space checks"),
                "{flash:?}"
            );
            assert_eq!(step.chosen, None);
        }
    }

    #[tokio::test]
    async fn space_on_one_workspace_under_every_unchecks_only_it() {
        let mut step = demo_step().await;
        step.handle(key(KeyCode::Char(' ')), (78, 19));
        // Past etl and warehouse (whose key is the demo's second account's) to payments-worker.
        step.handle(key(KeyCode::Down), (78, 19));
        step.handle(key(KeyCode::Down), (78, 19));
        step.handle(key(KeyCode::Down), (78, 19));
        step.handle(key(KeyCode::Char(' ')), (78, 19));
        let shown = screen(&step);
        assert!(shown.contains("[ ] Every workspace listed"), "{shown}");
        assert!(shown.contains("Enter migrates 3 workspaces"), "{shown}");
        assert_eq!(
            step.handle(key(KeyCode::Enter), (78, 19)).flow,
            Navigation::Next
        );
        let chosen = ["etl", "warehouse", "network-staging"].map(String::from);
        assert_eq!(step.chosen, Some(chosen.to_vec()));
    }
}
