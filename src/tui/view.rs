//! The pure view: draws the whole screen from the [`App`] state (header, the step, a status
//! line, the key footer, and the `?` help over it).

use crate::tui::app::App;
use crate::tui::steps::ViewCtx;
use crate::tui::widgets::{footer, header};
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

/// The smallest screen the wizard draws on.
pub const MIN_SIZE: (u16, u16) = (60, 16);

/// Draws the screen.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let theme = app.theme;
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        let text = format!(
            "The terminal is too small: tfc-oidc needs {}×{} (80×24 is best).",
            MIN_SIZE.0, MIN_SIZE.1
        );
        frame.render_widget(
            Paragraph::new(crate::tui::widgets::text::paragraph(
                &text,
                theme.warn(),
                area.width as usize,
                0,
            )),
            area,
        );
        return;
    }
    let [top, body, status, keys] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let cx = app.context();
    let trail: Vec<&str> = [cx.organization.as_str(), cx.project.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    header::render(
        frame,
        top,
        &app.path(),
        app.step,
        &trail.join(" / "),
        app.demo,
        theme,
    );
    let body = body.inner(Margin {
        horizontal: 1,
        vertical: 0,
    });
    let v = ViewCtx {
        theme,
        spinner: app.spinner(),
        cx: &cx,
    };
    app.screens.screen(app.step).view(frame, body, &v);
    draw_export_prompt(frame, app, body);
    draw_flash(frame, app, status);
    let hints = app.hints();
    let globals = app.global_hints();
    footer::render(frame, keys, &hints, &globals, app.text_mode(), theme);
    if app.help {
        footer::render_help(frame, &hints, &globals, app.text_mode(), theme);
    }
}

/// The export prompt `e` opens, on the body's last row, with the cursor in it.
fn draw_export_prompt(frame: &mut Frame, app: &App, body: Rect) {
    let theme = app.theme;
    if app.export.open && body.height > 0 {
        let row = Rect {
            y: body.y + body.height - 1,
            height: 1,
            ..body
        };
        let (line, column) = app.export.line(row.width as usize, theme);
        frame.render_widget(Clear, row);
        frame.render_widget(Paragraph::new(line), row);
        frame.set_cursor_position((row.x + column, row.y));
    }
}

/// The one-line message under the screen, cut with … when it is too long.
fn draw_flash(frame: &mut Frame, app: &App, status: Rect) {
    let theme = app.theme;
    if let Some(flash) = &app.flash {
        let style = if flash.error {
            theme.error()
        } else {
            theme.accent()
        };
        let room = status.width.saturating_sub(2) as usize;
        let mut text: String = flash.text.chars().take(room).collect();
        if flash.text.chars().count() > room {
            text.pop();
            text.push('…');
        }
        frame.render_widget(
            Paragraph::new(Line::styled(format!(" {text}"), style)),
            status,
        );
    }
}
