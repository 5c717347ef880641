//! `fake-tfc [--port N] [--many-workspaces N]`: serves `Seed::example()` (or
//! `Seed::with_many_workspaces(N)`) on 127.0.0.1 until killed, printing
//! `listening on http://127.0.0.1:PORT` on stdout and the token on stderr.

use std::io::Write;

use fake_tfc::{FakeTfc, Seed};

const USAGE: &str = "usage: fake-tfc [--port N] [--many-workspaces N]";

fn fail(msg: &str) -> ! {
    eprintln!("fake-tfc: {msg}\n{USAGE}");
    std::process::exit(2);
}

fn number<T: std::str::FromStr>(flag: &str, v: Option<String>) -> T {
    match v.as_deref().map(str::parse) {
        Some(Ok(n)) => n,
        _ => fail(&format!("{flag} needs a number")),
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut port: u16 = 0;
    let mut many: Option<usize> = None;
    while let Some(a) = args.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) => (f.to_string(), Some(v.to_string())),
            None => (a.clone(), None),
        };
        match flag.as_str() {
            "--port" => port = number(&flag, inline.or_else(|| args.next())),
            "--many-workspaces" => many = Some(number(&flag, inline.or_else(|| args.next()))),
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            other => fail(&format!("unknown argument {other:?}")),
        }
    }
    let seed = many.map_or_else(Seed::example, Seed::with_many_workspaces);
    let token = seed.token.clone();
    let fake = match FakeTfc::start_on(seed, port) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("fake-tfc: cannot listen on port {port}: {e}");
            std::process::exit(1);
        }
    };
    println!("listening on {}", fake.base_url());
    let _ = std::io::stdout().flush();
    eprintln!("token: {token}");
    loop {
        std::thread::park();
    }
}
