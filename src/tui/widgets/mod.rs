//! Widgets shared by the steps: the filterable list, the text field, the plan diff, apply
//! progress, the step header and the help footer, and small text helpers.

pub mod filter_list;
pub mod footer;
pub mod header;
pub mod plan_diff;
pub mod progress;
pub mod text;
pub mod text_input;
