//! The HCP Terraform API token: a secret wrapper that never prints, and discovery in the order
//! Terraform users expect (`TFE_TOKEN`, `TF_TOKEN_<host>`, `terraform login`'s credentials file).

use std::fmt;
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};
use serde_json::error::Category;

/// An API token. It has no `Display`, its `Debug` is `ApiToken(***)`, and its memory is zeroed
/// on drop (secrecy).
#[derive(Clone)]
pub struct ApiToken(SecretString);

impl ApiToken {
    /// Wraps a token (surrounding whitespace trimmed). Refuses an empty token and one that could
    /// not travel in an HTTP header (spaces, control or non-ASCII characters).
    pub fn new(value: impl Into<String>) -> Result<ApiToken, TokenError> {
        Self::checked(value.into(), "the token entered".to_owned())?.ok_or(TokenError::Empty)
    }

    fn checked(value: String, origin: String) -> Result<Option<ApiToken>, TokenError> {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Ok(None);
        }
        if !trimmed.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(TokenError::Invalid { origin });
        }
        Ok(Some(ApiToken(SecretString::from(trimmed.to_owned()))))
    }

    /// The token itself, for the `Authorization` header only.
    pub(crate) fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiToken(***)")
    }
}

/// Where a token was found, for messages such as "using the token from TFE_TOKEN".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    /// The `TFE_TOKEN` environment variable.
    TfeToken,
    /// A `TF_TOKEN_<host>` environment variable; holds the variable's name.
    HostVariable(String),
    /// `credentials.tfrc.json`; `shown` abbreviates the home directory as `~`.
    CredentialsFile { path: PathBuf, shown: String },
    /// Typed into the TUI's masked prompt.
    Prompt,
}

impl fmt::Display for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenSource::TfeToken => f.write_str("TFE_TOKEN"),
            TokenSource::HostVariable(name) => f.write_str(name),
            TokenSource::CredentialsFile { shown, .. } => f.write_str(shown),
            TokenSource::Prompt => f.write_str("the prompt"),
        }
    }
}

/// Why a token could not be used. Messages name the source, never the token or file content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the Terraform credentials file {} is malformed: {reason}; run 'terraform login' to rewrite it or set TFE_TOKEN", path.display())]
    Malformed { path: PathBuf, reason: String },
    #[error("cannot read the Terraform credentials file {}: {reason}", path.display())]
    Unreadable { path: PathBuf, reason: String },
    #[error("the API token from {origin} contains spaces, control or non-ASCII characters")]
    Invalid { origin: String },
    #[error("the API token is empty")]
    Empty,
}

const HOST_VAR_PREFIX: &str = "TF_TOKEN_";

/// Finds the token for `host`: `TFE_TOKEN`, then `TF_TOKEN_<host>`, then the credentials file
/// `terraform login` writes (`~/.terraform.d/credentials.tfrc.json`; on Windows
/// `%APPDATA%\terraform.d\credentials.tfrc.json`). Empty values count as absent.
///
/// `env` looks up one variable; `env_vars` is the whole environment (for `TF_TOKEN_*`);
/// `home_dir` is the user's home. `Ok(None)` means no source had a token.
pub fn discover_token(
    host: &str,
    env: &dyn Fn(&str) -> Option<String>,
    env_vars: &[(String, String)],
    home_dir: Option<&Path>,
) -> Result<Option<(ApiToken, TokenSource)>, TokenError> {
    if let Some(value) = env("TFE_TOKEN") {
        if let Some(token) = ApiToken::checked(value, "TFE_TOKEN".to_owned())? {
            return Ok(Some((token, TokenSource::TfeToken)));
        }
    }

    // Terraform lets the variable defined last win when several name the same host.
    let host_var = env_vars
        .iter()
        .rev()
        .find(|(name, value)| !value.trim().is_empty() && names_host(name, host));
    if let Some((name, value)) = host_var {
        if let Some(token) = ApiToken::checked(value.clone(), name.clone())? {
            return Ok(Some((token, TokenSource::HostVariable(name.clone()))));
        }
    }

    let Some(path) = credentials_file(env, home_dir) else {
        return Ok(None);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(TokenError::Unreadable {
                path,
                reason: e.kind().to_string(),
            })
        }
    };
    let shown = shorten_home(&path, home_dir);
    match token_in_credentials(&text, host) {
        Ok(Some(value)) => Ok(ApiToken::checked(value, shown.clone())?
            .map(|token| (token, TokenSource::CredentialsFile { path, shown }))),
        Ok(None) => Ok(None),
        Err(reason) => Err(TokenError::Malformed { path, reason }),
    }
}

/// True when a `TF_TOKEN_*` variable name encodes `host` the way Terraform decodes it:
/// `__` is a hyphen, `_` a dot; raw hyphens and dots are accepted too; case does not matter.
/// The process environment as text, in the order the OS keeps it. Variables whose name or value
/// is not UTF-8 are skipped (`std::env::vars` would panic on them).
pub fn environment() -> Vec<(String, String)> {
    std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect()
}

fn names_host(var_name: &str, host: &str) -> bool {
    let Some(encoded) = var_name.strip_prefix(HOST_VAR_PREFIX) else {
        return false;
    };
    let decoded = encoded.replace("__", "-").replace('_', ".");
    decoded.eq_ignore_ascii_case(host)
}

/// Where `terraform login` keeps its credentials on this platform.
fn credentials_file(
    env: &dyn Fn(&str) -> Option<String>,
    home_dir: Option<&Path>,
) -> Option<PathBuf> {
    if cfg!(windows) {
        let appdata = env("APPDATA").filter(|v| !v.is_empty())?;
        Some(
            Path::new(&appdata)
                .join("terraform.d")
                .join("credentials.tfrc.json"),
        )
    } else {
        Some(home_dir?.join(".terraform.d").join("credentials.tfrc.json"))
    }
}

/// Reads `credentials."HOST".token`. Errors describe the structure only, never the content
/// (serde's own messages may quote values, so they are not passed on).
fn token_in_credentials(text: &str, host: &str) -> Result<Option<String>, String> {
    let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        let kind = match e.classify() {
            Category::Syntax => "syntax error",
            Category::Eof => "unexpected end of file",
            Category::Data => "unexpected value",
            Category::Io => "read error",
        };
        format!(
            "not valid JSON ({kind} at line {}, column {})",
            e.line(),
            e.column()
        )
    })?;
    let Some(root) = doc.as_object() else {
        return Err("the top level is not a JSON object".to_owned());
    };
    let Some(credentials) = root.get("credentials") else {
        return Ok(None);
    };
    let Some(credentials) = credentials.as_object() else {
        return Err("\"credentials\" is not a JSON object".to_owned());
    };
    // Terraform compares host names case-insensitively (svchost.ForComparison).
    let Some((key, entry)) = credentials
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(host))
    else {
        return Ok(None);
    };
    match entry.get("token") {
        Some(serde_json::Value::String(token)) => Ok(Some(token.clone())),
        Some(serde_json::Value::Null) => Ok(None),
        Some(_) => Err(format!("credentials.\"{key}\".token is not a string")),
        None if entry.is_object() => Err(format!("credentials.\"{key}\" has no \"token\"")),
        None => Err(format!("credentials.\"{key}\" is not a JSON object")),
    }
}

fn shorten_home(path: &Path, home_dir: Option<&Path>) -> String {
    match home_dir.and_then(|home| path.strip_prefix(home).ok()) {
        Some(rest) => format!("~/{}", rest.display()),
        None => path.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOST: &str = "app.terraform.io";

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// Runs discovery with `pairs` as the whole environment.
    fn discover(
        host: &str,
        pairs: &[(&str, &str)],
        home: Option<&Path>,
    ) -> Result<Option<(ApiToken, TokenSource)>, TokenError> {
        let all = vars(pairs);
        let lookup = |k: &str| all.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        discover_token(host, &lookup, &all, home)
    }

    fn write_credentials(home: &Path, body: &str) -> PathBuf {
        let dir = home.join(".terraform.d");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("credentials.tfrc.json");
        std::fs::write(&path, body).unwrap();
        path
    }

    fn found(result: Result<Option<(ApiToken, TokenSource)>, TokenError>) -> (String, TokenSource) {
        let (token, source) = result.unwrap().expect("a token");
        (token.expose().to_owned(), source)
    }

    #[test]
    fn debug_hides_the_token() {
        let token = ApiToken::new("abc.atlasv1.secret").unwrap();
        assert_eq!(format!("{token:?}"), "ApiToken(***)");
        assert!(matches!(ApiToken::new("  "), Err(TokenError::Empty)));
        let err = ApiToken::new("abc def").unwrap_err();
        assert!(!err.to_string().contains("abc"));
    }

    #[test]
    fn tfe_token_wins_over_everything() {
        let home = tempfile::tempdir().unwrap();
        write_credentials(
            home.path(),
            r#"{"credentials":{"app.terraform.io":{"token":"from-file"}}}"#,
        );
        let env = [
            ("TF_TOKEN_app_terraform_io", "from-host-var"),
            ("TFE_TOKEN", "from-tfe"),
        ];
        let (token, source) = found(discover(HOST, &env, Some(home.path())));
        assert_eq!(
            (token.as_str(), source),
            ("from-tfe", TokenSource::TfeToken)
        );
    }

    #[test]
    fn host_variable_beats_the_file_and_empty_values_are_absent() {
        let home = tempfile::tempdir().unwrap();
        write_credentials(
            home.path(),
            r#"{"credentials":{"app.terraform.io":{"token":"from-file"}}}"#,
        );
        let env = [
            ("TFE_TOKEN", ""),
            ("TF_TOKEN_app_terraform_io", "from-host-var"),
        ];
        let (token, source) = found(discover(HOST, &env, Some(home.path())));
        assert_eq!(token, "from-host-var");
        assert_eq!(source.to_string(), "TF_TOKEN_app_terraform_io");

        let env = [("TFE_TOKEN", " "), ("TF_TOKEN_app_terraform_io", "")];
        let (token, source) = found(discover(HOST, &env, Some(home.path())));
        assert_eq!(token, "from-file");
        assert_eq!(source.to_string(), "~/.terraform.d/credentials.tfrc.json");
    }

    #[test]
    fn host_variable_encodings() {
        let host = "tfe-prod.my-corp.example";
        for name in [
            "TF_TOKEN_tfe__prod_my__corp_example",
            "TF_TOKEN_tfe-prod_my-corp_example",
            "TF_TOKEN_tfe-prod.my-corp.example",
            "TF_TOKEN_TFE__PROD_MY__CORP_EXAMPLE",
        ] {
            let (token, source) = found(discover(host, &[(name, "t")], None));
            assert_eq!(
                (token.as_str(), source),
                ("t", TokenSource::HostVariable(name.to_owned()))
            );
        }
        for other in [
            "TF_TOKEN_tfe_prod_my_corp_example",
            "TF_TOKEN_app_terraform_io",
            "TF_TOKENX",
        ] {
            assert!(
                discover(host, &[(other, "t")], None).unwrap().is_none(),
                "{other}"
            );
        }
    }

    #[test]
    fn last_matching_host_variable_wins() {
        let env = [
            ("TF_TOKEN_app_terraform_io", "first"),
            ("TF_TOKEN_app.terraform.io", "second"),
        ];
        assert_eq!(found(discover(HOST, &env, None)).0, "second");
    }

    #[test]
    fn credentials_file_lookup() {
        let home = tempfile::tempdir().unwrap();
        assert!(
            discover(HOST, &[], Some(home.path())).unwrap().is_none(),
            "no file"
        );
        write_credentials(
            home.path(),
            r#"{"credentials":{"App.Terraform.IO":{"token":" t1 "}}}"#,
        );
        assert_eq!(found(discover(HOST, &[], Some(home.path()))).0, "t1");
        assert!(discover("other.example", &[], Some(home.path()))
            .unwrap()
            .is_none());
        write_credentials(
            home.path(),
            r#"{"credentials":{"app.terraform.io":{"token":""}}}"#,
        );
        assert!(
            discover(HOST, &[], Some(home.path())).unwrap().is_none(),
            "empty token"
        );
        assert!(discover(HOST, &[], None).unwrap().is_none(), "no home");
    }

    #[test]
    fn malformed_file_names_the_path_but_not_the_content() {
        let home = tempfile::tempdir().unwrap();
        for body in [
            r#"{"credentials":{"app.terraform.io":{"token":"sekrit-1"}"#,
            r#"{"credentials":{"app.terraform.io":{"token":["sekrit-1"]}}}"#,
            r#"{"credentials":["sekrit-1"]}"#,
            r#"["sekrit-1"]"#,
            r#"{"credentials":{"app.terraform.io":"sekrit-1"}}"#,
            r#"{"credentials":{"app.terraform.io":{"tokn":"sekrit-1"}}}"#,
        ] {
            let path = write_credentials(home.path(), body);
            let err = discover(HOST, &[], Some(home.path())).unwrap_err();
            assert!(
                matches!(err, TokenError::Malformed { .. }),
                "{body}: {err:?}"
            );
            let msg = err.to_string();
            assert!(msg.contains(&path.display().to_string()), "{msg}");
            assert!(!msg.contains("sekrit"), "{msg}");
            assert!(!msg.contains('\n'), "{msg}");
        }
    }

    #[test]
    fn invalid_token_characters_name_the_source_only() {
        let err = discover(HOST, &[("TFE_TOKEN", "bad token\n")], None).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("TFE_TOKEN") && !msg.contains("bad token"),
            "{msg}"
        );
    }
}
