//! The client's own limiter keeps a burst of requests under the fake's 30 requests per second:
//! every request succeeds and the fake never has to answer 429.

use fake_tfc::{FakeTfc, Seed};
use futures::future::join_all;
use tfc_oidc::core::ports::Tfc;

use crate::support::client;

#[tokio::test]
async fn a_burst_through_clones_stays_under_the_server_limit() {
    let fake = FakeTfc::start(Seed::example());
    let tfc = client(&fake);
    let calls = (0..45).map(|i| {
        let tfc = tfc.clone();
        async move {
            if i % 2 == 0 {
                tfc.organization("acme").await.map(drop)
            } else {
                tfc.projects("acme").await.map(drop)
            }
        }
    });
    for result in join_all(calls).await {
        result.unwrap();
    }
    assert_eq!(fake.requests().len(), 45);
    assert_eq!(fake.too_many_requests_count(), 0);
}
