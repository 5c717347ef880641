//! `tfc-oidc man [COMMAND]`: roff man pages generated from the same clap definitions as
//! `--help` (clap_mangen), so the pages can never drift from the flags. The README's "Install"
//! section says how to install them.

use crate::cli::args::{Cli, ManArgs};
use crate::cli::error::CliError;
use clap::CommandFactory;
use std::io::Write;
use std::path::Path;

/// Prints one page, or writes every page into `--dir`.
pub fn run(args: &ManArgs) -> Result<(), CliError> {
    let root = built_command();
    if let Some(dir) = &args.dir {
        return write_all(dir);
    }
    let page = match &args.command {
        None => render(&root)?,
        Some(name) => render(&subcommand_page(&root, name)?)?,
    };
    std::io::stdout()
        .write_all(&page)
        .map_err(|e| CliError::failure(format!("cannot write the man page: {e}")))
}

/// Every page's file name (`tfc-oidc.1`, `tfc-oidc-setup.1`, …) and roff text.
pub fn pages() -> Result<Vec<(String, Vec<u8>)>, CliError> {
    let root = built_command();
    let mut pages = vec![("tfc-oidc.1".to_string(), render(&root)?)];
    for sub in root.get_subcommands().filter(|s| has_page(s)) {
        let page = subcommand_page(&root, sub.get_name())?;
        pages.push((format!("{}.1", page.get_name()), render(&page)?));
    }
    Ok(pages)
}

/// The command tree with global flags propagated into every subcommand (clap does that when a
/// command is built), so each page lists `--demo`, `--hostname` and the rest.
fn built_command() -> clap::Command {
    let mut root = Cli::command();
    root.build();
    root
}

/// Every visible command has a page; clap's generated `help` command does not.
fn has_page(sub: &clap::Command) -> bool {
    !sub.is_hide_set() && sub.get_name() != "help"
}

/// A subcommand as a page of its own: `tfc-oidc-setup(1)`, its usage line `tfc-oidc setup …`.
fn subcommand_page(root: &clap::Command, name: &str) -> Result<clap::Command, CliError> {
    let sub = root
        .get_subcommands()
        .find(|s| s.get_name() == name && has_page(s))
        .ok_or_else(|| {
            let known: Vec<&str> = root
                .get_subcommands()
                .filter(|s| has_page(s))
                .map(|s| s.get_name())
                .collect();
            CliError::usage(format!(
                "no command '{name}': the man pages are for {}",
                known.join(", ")
            ))
        })?;
    let page_name = format!("tfc-oidc-{}", sub.get_name());
    let usage = format!("tfc-oidc {}", sub.get_name());
    Ok(sub
        .clone()
        .name(page_name)
        .bin_name(usage)
        .version(env!("CARGO_PKG_VERSION")))
}

fn render(cmd: &clap::Command) -> Result<Vec<u8>, CliError> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd.clone())
        .render(&mut out)
        .map_err(|e| CliError::failure(format!("cannot render the man page: {e}")))?;
    Ok(examples_section(&String::from_utf8_lossy(&out)).into_bytes())
}

/// clap_mangen puts `after_help` under "EXTRA" as filled text, which would run the example
/// command lines together; the page gets a proper EXAMPLES section with the lines kept as they are.
fn examples_section(roff: &str) -> String {
    const EXTRA: &str = ".SH EXTRA\nExamples:\n";
    let Some(start) = roff.find(EXTRA) else {
        return roff.to_string();
    };
    let body_start = start + EXTRA.len();
    let body_end = roff[body_start..]
        .find("\n.SH ")
        .map_or(roff.len(), |i| body_start + i + 1);
    format!(
        "{}.SH EXAMPLES\n.nf\n{}.fi\n{}",
        &roff[..start],
        &roff[body_start..body_end],
        &roff[body_end..]
    )
}

fn write_all(dir: &Path) -> Result<(), CliError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| CliError::failure(format!("cannot create {}: {e}", dir.display())))?;
    for (file, page) in pages()? {
        let path = dir.join(file);
        std::fs::write(&path, page)
            .map_err(|e| CliError::failure(format!("cannot write {}: {e}", path.display())))?;
        println!("{}", path.display());
    }
    Ok(())
}
