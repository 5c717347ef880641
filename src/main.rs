//! The `tfc-oidc` binary; everything it does is [`tfc_oidc::cli::main`].

fn main() -> std::process::ExitCode {
    tfc_oidc::cli::main()
}
