//! `fake-tfc [--port N]`: serves `Seed::example()` on 127.0.0.1 until killed,
//! printing `listening on http://127.0.0.1:PORT` on stdout.

use std::io::Write;

use fake_tfc::{FakeTfc, Seed};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut port: u16 = 0;
    while let Some(a) = args.next() {
        let v = match a.as_str() {
            "--port" => args.next(),
            s if s.starts_with("--port=") => Some(s["--port=".len()..].to_string()),
            "-h" | "--help" => {
                println!("usage: fake-tfc [--port N]");
                return;
            }
            other => {
                eprintln!("fake-tfc: unknown argument {other:?}; usage: fake-tfc [--port N]");
                std::process::exit(2);
            }
        };
        port = match v.as_deref().map(str::parse) {
            Some(Ok(p)) => p,
            _ => {
                eprintln!("fake-tfc: --port needs a number");
                std::process::exit(2);
            }
        };
    }
    let seed = Seed::example();
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
