//! Injected faults, the real rate limiter, latency and request recording.

mod common;

use std::time::{Duration, Instant};

use common::{get, post};
use fake_tfc::{FakeTfc, Fault, Seed};
use serde_json::json;

#[test]
fn injected_rate_limit_then_recovery() {
    let fake = FakeTfc::start(Seed::example());
    fake.inject(Fault::RateLimit {
        count: 2,
        reset_secs: 0.05,
    });
    for _ in 0..2 {
        let r = get(fake.addr(), "/api/v2/account/details");
        assert_eq!(r.status, 429);
        assert_eq!(r.header("x-ratelimit-reset"), Some("0.05"));
        assert_eq!(r.header("x-ratelimit-limit"), Some("30"));
        assert_eq!(
            r.json(),
            json!({"errors":[{"detail":"You have exceeded the API's rate limit.","status":429,"title":"Too many requests"}]})
        );
    }
    assert_eq!(get(fake.addr(), "/api/v2/account/details").status, 200);
    assert_eq!(fake.requests().len(), 3);
}

#[test]
fn server_error_and_fail_write() {
    let fake = FakeTfc::start(Seed::example());
    fake.inject(Fault::ServerError { count: 1 });
    let r = get(fake.addr(), "/api/v2/organizations");
    assert_eq!(r.status, 500);
    assert_eq!(r.json()["errors"][0]["status"], "500");
    assert_eq!(get(fake.addr(), "/api/v2/organizations").status, 200);

    let ws = fake.workspace_id("acme", "edge").unwrap();
    let path = format!("/api/v2/workspaces/{ws}/vars");
    fake.inject(Fault::FailWrite {
        path_contains: "/vars".into(),
        status: 503,
        count: 1,
    });
    assert_eq!(
        get(fake.addr(), &path).status,
        200,
        "reads are not affected"
    );
    let body = json!({"data": {"type": "vars", "attributes": {"key": "A", "value": "1", "category": "env"}}}).to_string();
    let r = post(fake.addr(), &path, &body);
    assert_eq!(r.status, 503);
    assert_eq!(r.header("content-type"), Some("application/vnd.api+json"));
    assert!(
        fake.workspace_variables("acme", "edge").is_empty(),
        "failed write changed nothing"
    );
    assert_eq!(post(fake.addr(), &path, &body).status, 201);
    assert_eq!(fake.write_count(), 2);

    let recs = fake.requests();
    assert_eq!(recs.last().unwrap().method, "POST");
    assert_eq!(recs.last().unwrap().path, path);
    fake.clear_requests();
    assert!(fake.requests().is_empty());
}

#[test]
fn real_rate_limiter_trips_and_can_be_disabled() {
    let fake = FakeTfc::start(Seed::example());
    let mut limited = None;
    for _ in 0..40 {
        let r = get(fake.addr(), "/api/v2/ping");
        if r.status == 429 {
            limited = Some(r);
            break;
        }
    }
    let r = limited.expect("more than 30 requests in a second must be limited");
    let reset: f64 = r.header("x-ratelimit-reset").unwrap().parse().unwrap();
    assert!(reset > 0.0 && reset <= 1.0, "{reset}");
    std::thread::sleep(Duration::from_secs_f64(reset + 0.01));
    assert_eq!(get(fake.addr(), "/api/v2/ping").status, 204);

    fake.set_rate_limit(None);
    for _ in 0..60 {
        assert_eq!(get(fake.addr(), "/api/v2/ping").status, 204);
    }
}

#[test]
fn latency_and_query_recording() {
    let fake = FakeTfc::start(Seed::example());
    fake.set_latency(Duration::from_millis(120));
    let t = Instant::now();
    let r = get(fake.addr(), "/api/v2/organizations?page%5Bsize%5D=5");
    assert_eq!(r.status, 200);
    assert!(t.elapsed() >= Duration::from_millis(120));
    let rec = &fake.requests()[0];
    assert_eq!(
        (rec.method.as_str(), rec.path.as_str()),
        ("GET", "/api/v2/organizations")
    );
    assert_eq!(rec.query, "page%5Bsize%5D=5");
}
