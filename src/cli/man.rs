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
        return write_all(&root, dir);
    }
    let page = match &args.command {
        None => render(&root)?,
        Some(name) => render(&as_page(&root, find_command(&root, name)?))?,
    };
    std::io::stdout()
        .write_all(&page)
        .map_err(|e| CliError::local_io("cannot write the man page", e))
}

/// Every page's file name (`tfc-oidc.1`, `tfc-oidc-setup.1`, …) and roff text.
fn pages(root: &clap::Command) -> Result<Vec<(String, Vec<u8>)>, CliError> {
    let mut pages = vec![("tfc-oidc.1".to_string(), render(root)?)];
    for sub in root.get_subcommands().filter(|s| has_page(s)) {
        let page = as_page(root, sub);
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

/// The command named `name` that has a page, or a usage error listing those that do.
fn find_command<'a>(root: &'a clap::Command, name: &str) -> Result<&'a clap::Command, CliError> {
    let mut with_page = root.get_subcommands().filter(|s| has_page(s));
    with_page.find(|s| s.get_name() == name).ok_or_else(|| {
        let known: Vec<&str> = root
            .get_subcommands()
            .filter(|s| has_page(s))
            .map(|s| s.get_name())
            .collect();
        CliError::usage(format!(
            "no command '{name}': the man pages are for {}",
            known.join(", ")
        ))
    })
}

/// A subcommand as a page of its own: `tfc-oidc-setup(1)`, its usage line `tfc-oidc setup …`.
fn as_page(root: &clap::Command, sub: &clap::Command) -> clap::Command {
    let name = sub.get_name();
    sub.clone()
        .name(format!("tfc-oidc-{name}"))
        .bin_name(format!("{} {name}", root.get_name()))
        .version(env!("CARGO_PKG_VERSION"))
}

fn render(cmd: &clap::Command) -> Result<Vec<u8>, CliError> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd.clone())
        .render(&mut out)
        .map_err(|e| CliError::local_io("cannot render the man page", e))?;
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

fn write_all(root: &clap::Command, dir: &Path) -> Result<(), CliError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| CliError::local_io(&format!("cannot create {}", dir.display()), e))?;
    for (file, page) in pages(root)? {
        let path = dir.join(file);
        std::fs::write(&path, page)
            .map_err(|e| CliError::local_io(&format!("cannot write {}", path.display()), e))?;
        println!("{}", path.display());
    }
    Ok(())
}
