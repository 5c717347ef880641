//! Benchmarks of the wizard (a plain binary, `harness = false`; run with `cargo bench --bench tui`):
//!
//! 1. time to first frame: a fresh demo session drawn on ratatui's TestBackend at 80×24, and the
//!    time until the connect screen shows the sandbox's answers, over many runs;
//! 2. idle cost: the real binary in tmux, sitting on a screen with nothing in flight for ~3 s,
//!    measured from /proc (CPU ticks and context switches of all its threads).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};
use tfc_oidc::tui::harness::Harness;

const RUNS: usize = 200;

fn stats(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    println!(
        "{name} (n={}): min {:.3} ms, median {:.3} ms, p95 {:.3} ms, max {:.3} ms",
        samples.len(),
        ms(samples[0]),
        ms(at(0.5)),
        ms(at(0.95)),
        ms(samples[samples.len() - 1])
    );
}

fn first_frames(runtime: &tokio::runtime::Runtime) {
    let mut first = Vec::with_capacity(RUNS);
    let mut connected = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        runtime.block_on(async {
            let start = Instant::now();
            let mut h = Harness::demo(80, 24);
            let screen = h.screen();
            first.push(start.elapsed());
            assert!(screen.contains("Step 1 of 9"));
            h.settle().await;
            let screen = h.screen();
            connected.push(start.elapsed());
            assert!(screen.contains("signed in as demo-user"));
        });
    }
    stats("time to first frame, TestBackend 80x24", first);
    stats("time to the connected frame, TestBackend 80x24", connected);
}

/// The process and all its descendants, starting at `pid`.
fn descendants(pid: u32) -> Vec<u32> {
    let mut out = vec![pid];
    let mut i = 0;
    while i < out.len() {
        let p = out[i];
        if let Ok(tasks) = std::fs::read_dir(format!("/proc/{p}/task")) {
            for task in tasks.flatten() {
                let children =
                    std::fs::read_to_string(task.path().join("children")).unwrap_or_default();
                out.extend(
                    children
                        .split_whitespace()
                        .filter_map(|c| c.parse::<u32>().ok()),
                );
            }
        }
        i += 1;
    }
    out
}

/// (utime + stime ticks, voluntary + involuntary context switches) summed over threads.
fn usage(pid: u32) -> (u64, u64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    let mut switches = 0;
    if let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) {
        for task in tasks.flatten() {
            let status = std::fs::read_to_string(task.path().join("status")).unwrap_or_default();
            switches += status
                .lines()
                .filter(|l| l.contains("ctxt_switches"))
                .filter_map(|l| l.split_whitespace().last()?.parse::<u64>().ok())
                .sum::<u64>();
        }
    }
    (ticks(11) + ticks(12), switches)
}

fn idle_cpu() {
    if Command::new("tmux").arg("-V").output().is_err() {
        println!("idle CPU of the real binary: skipped: tmux not found");
        return;
    }
    let socket = format!("tfcoidc-bench-{}", std::process::id());
    let tmux = |args: &[&str]| {
        Command::new("tmux")
            .arg("-L")
            .arg(&socket)
            .args(args)
            .output()
            .expect("tmux runs")
    };
    let home = std::env::temp_dir().join(format!("tfcoidc-bench-home-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    let h = home.display();
    let script = format!(
        "export HOME={h} XDG_CONFIG_HOME={h}/config XDG_DATA_HOME={h}/data XDG_STATE_HOME={h}/state XDG_CACHE_HOME={h}/cache TERM=xterm-256color\nexec '{}' --demo\n",
        env!("CARGO_BIN_EXE_tfc-oidc")
    );
    std::fs::write(home.join("run.sh"), script).unwrap();
    let run = home.join("run.sh");
    tmux(&[
        "new-session",
        "-d",
        "-s",
        "bench",
        "-x",
        "80",
        "-y",
        "24",
        "sh",
        run.to_str().unwrap(),
    ]);
    let capture = || {
        String::from_utf8_lossy(&tmux(&["capture-pane", "-p", "-t", "bench"]).stdout).into_owned()
    };
    let wait_for = |text: &str| {
        let start = Instant::now();
        while !capture().contains(text) {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "the wizard never showed {text:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    let clk_tck: f64 = Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100.0);
    let pane: u32 =
        String::from_utf8_lossy(&tmux(&["list-panes", "-t", "bench", "-F", "#{pane_pid}"]).stdout)
            .trim()
            .parse()
            .expect("a pane pid");
    let wizard = descendants(pane)
        .into_iter()
        .find(|p| {
            std::fs::read_to_string(format!("/proc/{p}/comm")).is_ok_and(|c| c.trim() == "tfc-oidc")
        })
        .expect("the wizard's process");
    for (screen, wait, key) in [
        ("Connect", "signed in as demo-user", None),
        ("Organization list", "› acme-corp", Some("Enter")),
    ] {
        if let Some(key) = key {
            tmux(&["send-keys", "-t", "bench", key]);
        }
        wait_for(wait);
        std::thread::sleep(Duration::from_millis(300));
        let (t0, s0) = usage(wizard);
        let start = Instant::now();
        std::thread::sleep(Duration::from_secs(3));
        let (t1, s1) = usage(wizard);
        let secs = start.elapsed().as_secs_f64();
        println!(
            "idle CPU of the real binary on the {screen} screen over {secs:.1} s: {} ticks = {:.2}% of a core, {} context switches ({:.1}/s)",
            t1 - t0,
            (t1 - t0) as f64 / clk_tck / secs * 100.0,
            s1 - s0,
            (s1 - s0) as f64 / secs
        );
    }
    tmux(&["kill-server"]);
    let _ = std::fs::remove_dir_all(Path::new(&home));
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    first_frames(&runtime);
    idle_cpu();
}
