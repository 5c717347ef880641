//! One wizard screen behind one trait: its keys, its view, its hints, whether work is in flight
//! for it, whether a text field has the focus, and what showing it starts. The [`screens!`]
//! registry (in `steps/mod.rs`) lists every screen once; the [`Step`] enum, the screens' states
//! and every dispatch on the current step are generated from that list, so a new screen is its
//! file plus one registry line.

use crate::tui::app::App;
use crate::tui::effects::Effect;
use crate::tui::keymap::{Hint, Input};
use crate::tui::steps::{Reaction, ViewCtx};
use ratatui::layout::Rect;
use ratatui::Frame;

/// A wizard screen's state and behaviour.
pub trait Screen: std::fmt::Debug {
    /// Draws the screen in `area` (the body between the header and the footer).
    fn view(&self, frame: &mut Frame, area: Rect, v: &ViewCtx);

    /// The screen's key hints (the footer and `?` list these, with the global ones).
    fn hints(&self) -> Vec<Hint>;

    /// A key on this screen (`body`: the size of the screen's area, for paging). What Enter does
    /// is the [`Reaction`] to `Action::Accept`.
    fn handle(&mut self, _input: Input, _body: (u16, u16)) -> Reaction {
        Reaction::stay()
    }

    /// Work started for this screen is in flight: spinners turn, wherever the wizard is.
    fn busy(&self) -> bool {
        false
    }

    /// Waiting on something that only matters while this screen is shown.
    fn waiting_while_shown(&self) -> bool {
        false
    }

    /// A text field has the focus: typing keys are text, not commands.
    fn text_mode(&self) -> bool {
        false
    }

    /// The wizard moved to this screen (forwards): what it starts, from the answers so far.
    fn arrive(_app: &mut App) -> Vec<Effect>
    where
        Self: Sized,
    {
        vec![]
    }
}

/// The screen registry: one line per screen, in the order of [`Step`]
/// (`Variant => field: Type = constructor, "Title", "Short";`, doc comments allowed). It
/// generates the [`Step`] enum with its titles, [`Screens`] (every screen's state, built from
/// the [`crate::tui::app::AppOptions`] named first) and the dispatch from a step to its screen.
macro_rules! screens {
    ($options:ident; $(
        $(#[$doc:meta])*
        $variant:ident => $field:ident: $ty:ty = $init:expr, $title:literal, $short:literal;
    )*) => {
        /// The screens. [`Step::ALL`] is the setup path; [`Task::path`] gives each task's path.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Step {
            $($(#[$doc])* $variant,)*
        }

        impl Step {
            /// Every screen, in registry order.
            pub const EVERY: &'static [Step] = &[$(Step::$variant,)*];

            /// The step's name in the header.
            pub fn title(self) -> &'static str {
                match self {
                    $(Step::$variant => $title,)*
                }
            }

            /// The name in the step trail when space is short.
            pub fn short(self) -> &'static str {
                match self {
                    $(Step::$variant => $short,)*
                }
            }
        }

        /// Every screen's state, kept when the wizard moves on or goes back.
        #[derive(Debug)]
        pub struct Screens {
            $(pub $field: $ty,)*
        }

        impl Screens {
            /// Every screen as the wizard starts.
            pub fn new($options: &crate::tui::app::AppOptions) -> Screens {
                Screens {
                    $($field: $init,)*
                }
            }

            /// The screen of `step`.
            pub fn screen(&self, step: Step) -> &dyn Screen {
                match step {
                    $(Step::$variant => &self.$field,)*
                }
            }

            /// The screen of `step`, to hand it a key.
            pub fn screen_mut(&mut self, step: Step) -> &mut dyn Screen {
                match step {
                    $(Step::$variant => &mut self.$field,)*
                }
            }

            /// Every screen (for what is in flight anywhere).
            pub fn all(&self) -> Vec<&dyn Screen> {
                vec![$(&self.$field as &dyn Screen,)*]
            }
        }

        /// Shows `step`'s screen: what it starts on arrival.
        pub(crate) fn arrive(app: &mut crate::tui::app::App, step: Step) -> Vec<Effect> {
            match step {
                $(Step::$variant => <$ty as Screen>::arrive(app),)*
            }
        }
    };
}
pub(crate) use screens;

#[cfg(test)]
mod tests {
    use crate::tui::app::{App, AppOptions};
    use crate::tui::steps::Step;
    use crate::tui::theme::Theme;

    fn app() -> App {
        App::new(AppOptions {
            host: "app.terraform.io".into(),
            demo: true,
            theme: Theme::plain(),
            last_organization: None,
            last_project: None,
            role_pattern: None,
        })
    }

    #[test]
    fn every_step_has_its_own_screen_and_title() {
        let app = app();
        assert_eq!(app.screens.all().len(), Step::EVERY.len());
        let mut titles: Vec<&str> = Step::EVERY.iter().map(|s| s.title()).collect();
        titles.dedup();
        assert_eq!(titles.len(), Step::EVERY.len(), "{titles:?}");
    }

    #[test]
    fn the_wizard_is_busy_and_typing_as_its_current_screen_says() {
        let mut app = app();
        // The add-account screen waits for its profiles only while it is shown, and always
        // types.
        let add_account = app.screens.screen(Step::AddAccount);
        assert!(add_account.waiting_while_shown() && !add_account.busy());
        app.step = Step::AddAccount;
        assert!(app.animating());
        assert!(app.text_mode());
        app.step = Step::Done;
        assert!(!app.text_mode());
    }
}
