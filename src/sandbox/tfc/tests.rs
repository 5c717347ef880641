//! Tests of [`super::SandboxTfc`] through the `Tfc` port.
