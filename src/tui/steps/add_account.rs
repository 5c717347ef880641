//! "Add another AWS account", opened with `a` on Done: pick an AWS profile (from the shared
//! config files, or the demo's made-up second account) and type the tag of the configuration.
//! The tag is checked as it is typed (HCP Terraform's rule, [`validate_alias_tag`]); Enter connects
//! the profile, then the role and review steps run again for the same workspaces, writing
//! `TFC_AWS_*_<TAG>` variables.

use crate::core::ports::CallerIdentity;
use crate::core::variables::dynamic_vars::validate_alias_tag;
use crate::tui::effects::Effect;
use crate::tui::failure::AwsConnectFailure;
use crate::tui::keymap::{hint, hints2, Action, Hint, Input};
use crate::tui::steps::Screen;
use crate::tui::steps::{Reaction, ViewCtx};
use crate::tui::widgets::text::{intro, loading, paragraph, problem};
use crate::tui::widgets::text_input::TextInput;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The add-account step's state.
#[derive(Debug, Clone, Default)]
pub struct AddAccountStep {
    /// The profiles found (`None` while reading them).
    pub profiles: Option<Vec<String>>,
    pub selected: usize,
    pub tag: TextInput,
    /// Connecting the chosen profile.
    pub connecting: bool,
    /// Why the last connection failed.
    pub error: Option<AwsConnectFailure>,
    /// The profile connected and who it is.
    pub connected: Option<(String, CallerIdentity)>,
}

impl AddAccountStep {
    /// A fresh screen, reading the profiles.
    pub fn enter() -> (AddAccountStep, Vec<Effect>) {
        (AddAccountStep::default(), vec![Effect::LoadProfiles])
    }

    /// The profiles arrived.
    pub fn on_profiles(&mut self, profiles: Vec<String>) {
        self.selected = 0;
        self.profiles = Some(profiles);
    }

    /// The tag typed, if HCP Terraform accepts it.
    pub fn valid_tag(&self) -> Option<String> {
        let tag = self.tag.value().trim();
        validate_alias_tag(tag).ok().map(|_| tag.to_string())
    }

    fn profile(&self) -> Option<&String> {
        self.profiles.as_ref()?.get(self.selected)
    }

    /// The connection of `profile` ended: `true` when it is connected.
    pub fn on_connected(
        &mut self,
        profile: String,
        result: Result<CallerIdentity, AwsConnectFailure>,
    ) -> bool {
        self.connecting = false;
        match result {
            Ok(caller) => {
                self.error = None;
                self.connected = Some((profile, caller));
                true
            }
            Err(e) => {
                self.error = Some(e);
                false
            }
        }
    }
}

impl Screen for AddAccountStep {
    /// Handles a key.
    fn handle(&mut self, input: Input, _body: (u16, u16)) -> Reaction {
        let count = self.profiles.as_ref().map_or(0, Vec::len);
        match input {
            Input::Edit(key) => {
                self.tag.handle(&key);
            }
            Input::Action(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Input::Action(Action::Down) if self.selected + 1 < count => self.selected += 1,
            Input::Action(Action::Back) => return Reaction::back(),
            Input::Action(Action::Accept) if self.connecting => {
                return Reaction::refuse("Connecting already")
            }
            Input::Action(Action::Accept) => {
                let Some(profile) = self.profile().cloned() else {
                    return Reaction::refuse(
                        "No AWS profile: add one to ~/.aws/config (or AWS_CONFIG_FILE) first",
                    );
                };
                if let Err(e) = validate_alias_tag(self.tag.value().trim()) {
                    return Reaction::refuse(e.to_string());
                }
                self.connecting = true;
                self.error = None;
                return Reaction::effect(Effect::ConnectAws { profile });
            }
            _ => {}
        }
        Reaction::stay()
    }

    /// The keys this screen offers now.
    fn hints(&self) -> Vec<Hint> {
        vec![
            hints2(Action::Up, Action::Down, "profile"),
            hint(Action::Accept, "connect"),
            hint(Action::Back, "back to Done"),
        ]
    }

    /// Draws the step into `area`.
    fn view(&self, frame: &mut Frame, area: Rect, v: &ViewCtx) {
        let t = v.theme;
        let w = area.width as usize;
        let mut lines = intro(
            "Add another AWS account",
            &format!(
                "The same workspaces ({}) get another, tagged configuration: a role in the account the profile reaches, and TFC_AWS_*_<TAG> variables.",
                v.cx.scope_text()
            ),
            t,
            w,
        );
        lines.push(Line::styled("AWS profile", t.bold()));
        match &self.profiles {
            None => lines.push(loading("Reading the AWS profiles…", v.spinner, t)),
            Some(p) if p.is_empty() => lines.extend(problem(
                "No profile in ~/.aws/config or ~/.aws/credentials.",
                "Add one (AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE are honoured).",
                t,
                w,
            )),
            Some(profiles) => {
                for (i, name) in profiles.iter().enumerate() {
                    let on = i == self.selected;
                    let text = format!("{} {name}", if on { "›" } else { " " });
                    let style = if on { t.selected() } else { Default::default() };
                    lines.push(Line::styled(text, style));
                }
            }
        }
        lines.push(Line::raw(""));
        let label = "Tag  ";
        let (field, x) = self.tag.render(24, true, t);
        let cursor = x.map(|x| (area.x + label.len() as u16 + x, area.y + lines.len() as u16));
        let mut row = vec![Span::styled(label, t.bold())];
        row.extend(field.spans);
        lines.push(Line::from(row));
        let tag = self.tag.value().trim();
        match validate_alias_tag(tag) {
            _ if tag.is_empty() => lines.extend(paragraph(
                "letters, digits and _, e.g. ANALYTICS",
                t.dim(),
                w,
                5,
            )),
            Ok(()) => lines.extend(paragraph(
                &format!("variables TFC_AWS_PROVIDER_AUTH_{tag}, TFC_AWS_RUN_ROLE_ARN_{tag}"),
                t.dim(),
                w,
                5,
            )),
            Err(e) => lines.extend(paragraph(&e.to_string(), t.warn(), w, 5)),
        }
        if self.connecting {
            lines.push(Line::raw(""));
            lines.push(loading("Connecting to AWS…", v.spinner, t));
        }
        if let Some(error) = &self.error {
            lines.push(Line::raw(""));
            lines.extend(problem(&error.to_string(), error.advice(), t, w));
        }
        if let Some(pos) = cursor {
            frame.set_cursor_position(pos);
        }
        frame.render_widget(Paragraph::new(lines), area);
    }

    fn busy(&self) -> bool {
        self.connecting
    }

    /// The profiles are being listed.
    fn waiting_while_shown(&self) -> bool {
        self.profiles.is_none()
    }

    /// The profile or the tag field always has the focus.
    fn text_mode(&self) -> bool {
        true
    }
}
