//! The team and its availability: project users listed and changed, each agent's own
//! availability, operating hours, and what the widget, `isopen` and `users/availables` answer.

mod common;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tiledesk_protocol::{AvailableAgent, IsOpen, ProjectUser, TeamMember, WidgetConfig};

use common::{data_dir, start, TestServer};

/// Always open: every day from midnight to midnight, in UTC.
fn always_open() -> String {
    let day = json!([{"start": "00:00", "end": "24:00"}]);
    json!({"0": day, "1": day, "2": day, "3": day, "4": day, "5": day, "6": day, "tzname": "UTC"})
        .to_string()
}

async fn widget_agents(server: &TestServer, project: &str) -> Vec<String> {
    let answer = server.get(&format!("/{project}/widgets"), None).await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    let config: WidgetConfig = serde_json::from_value(answer.body).unwrap();
    config.user_available.into_iter().map(|a| a.id).collect()
}

async fn is_open(server: &TestServer, project: &str) -> bool {
    let answer = server
        .get(&format!("/projects/{project}/isopen"), None)
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    serde_json::from_value::<IsOpen>(answer.body)
        .unwrap()
        .isopen
}

/// The project user id of the member `user` of `project`, read by the owner.
async fn member_id(server: &TestServer, project: &str, user: &str) -> String {
    let answer = server
        .get(
            &format!("/{project}/project_users/users/{user}"),
            Some(&server.owner()),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    answer.body[0]["_id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn availability_is_each_members_own_and_drives_the_widget() {
    let dir = data_dir();
    let server = start(dir.path());
    let p = server.demo.project_id.clone();
    let owner = server.owner();
    let owner_id = server
        .post(
            "/auth/signin",
            None,
            json!({"email": server.demo.email, "password": server.demo.password}),
        )
        .await
        .body["user"]["_id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The demo owner starts available; an invited agent too (as on Tiledesk), unless told not.
    assert_eq!(
        widget_agents(&server, &p).await,
        std::slice::from_ref(&owner_id)
    );
    let (agent, agent_id) = server.teammate(&p, "agent@example.com", "agent").await;
    let (_, quiet_id) = server.user("quiet@example.com").await;
    let invited = server
        .post(
            &format!("/{p}/project_users/invite"),
            Some(&owner),
            json!({"email": "quiet@example.com", "role": "agent", "user_available": false}),
        )
        .await;
    assert_eq!(invited.status, StatusCode::OK, "{:?}", invited.body);
    let invited: ProjectUser = serde_json::from_value(invited.body).unwrap();
    assert!(!invited.user_available);
    assert_eq!(
        widget_agents(&server, &p).await,
        [owner_id.clone(), agent_id.clone()]
    );

    // The owner goes offline: only the agent is listed; the owner does not count any more.
    let own = format!("/{p}/project_users/");
    let offline = server
        .put(&own, Some(&owner), Some(json!({"user_available": false})))
        .await;
    assert_eq!(offline.status, StatusCode::OK, "{:?}", offline.body);
    let offline: ProjectUser = serde_json::from_value(offline.body).unwrap();
    assert_eq!(offline.id_user, owner_id);
    assert!(!offline.user_available);
    assert_eq!(
        widget_agents(&server, &p).await,
        std::slice::from_ref(&agent_id)
    );
    let gone = server
        .put(&own, Some(&agent), Some(json!({"user_available": false})))
        .await;
    assert_eq!(gone.status, StatusCode::OK);
    assert!(widget_agents(&server, &p).await.is_empty());
    let availables = server
        .get(&format!("/projects/{p}/users/availables"), None)
        .await;
    assert_eq!(availables.body, json!([]));

    // An admin switches someone else on, and changes roles; nobody changes the owner's role.
    let quiet_member = member_id(&server, &p, &quiet_id).await;
    let one = format!("/{p}/project_users/{quiet_member}");
    let on = server
        .put(&one, Some(&owner), Some(json!({"user_available": true})))
        .await;
    assert_eq!(on.status, StatusCode::OK, "{:?}", on.body);
    assert_eq!(
        widget_agents(&server, &p).await,
        std::slice::from_ref(&quiet_id)
    );
    let listed: Vec<AvailableAgent> = serde_json::from_value(
        server
            .get(&format!("/projects/{p}/users/availables"), None)
            .await
            .body,
    )
    .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, quiet_id);
    assert_eq!(listed[0].pu_id.as_deref(), Some(quiet_member.as_str()));
    assert_eq!(listed[0].fullname.as_deref(), Some("Ann Lee"));
    let demoted = server
        .put(&one, Some(&owner), Some(json!({"role": "user"})))
        .await;
    assert_eq!(demoted.status, StatusCode::OK, "{:?}", demoted.body);
    assert_eq!(demoted.body["role"], "user");
    assert!(
        widget_agents(&server, &p).await.is_empty(),
        "a user is no agent, available or not"
    );
    let owner_member = member_id(&server, &p, &owner_id).await;
    let owner_role = server
        .put(
            &format!("/{p}/project_users/{owner_member}"),
            Some(&owner),
            Some(json!({"role": "agent"})),
        )
        .await;
    assert_eq!(owner_role.status, StatusCode::FORBIDDEN);

    // Who may: an agent switches only itself; guests and users nothing; bad input is JSON 4xx.
    let (guest, _) = server.guest(&p).await;
    for (auth, body, status) in [
        (
            None,
            json!({"user_available": true}),
            StatusCode::UNAUTHORIZED,
        ),
        (
            Some(&guest),
            json!({"user_available": true}),
            StatusCode::FORBIDDEN,
        ),
        (
            Some(&agent),
            json!({"user_available": "yes"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (Some(&agent), json!({}), StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let answer = server.put(&own, auth.map(String::as_str), Some(body)).await;
        assert_eq!(answer.status, status, "{:?}", answer.body);
        assert!(answer.body.is_object());
    }
    for (auth, body, status) in [
        (
            Some(agent.as_str()),
            json!({"user_available": true}),
            StatusCode::FORBIDDEN,
        ),
        (
            Some(owner.as_str()),
            json!({"role": "owner"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Some(owner.as_str()),
            json!({"role": "guest"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let answer = server.put(&one, auth, Some(body)).await;
        assert_eq!(answer.status, status, "{:?}", answer.body);
    }
    let missing = server
        .put(
            &format!("/{p}/project_users/0123456789abcdef01234567"),
            Some(&owner),
            Some(json!({"user_available": true})),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let malformed = server
        .put(
            &format!("/{p}/project_users/nope"),
            Some(&owner),
            Some(json!({"user_available": true})),
        )
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_team_is_listed_with_users_and_open_requests() {
    let dir = data_dir();
    let server = start(dir.path());
    let p = server.demo.project_id.clone();
    let owner = server.owner();
    let (agent, agent_id) = server.teammate(&p, "agent@example.com", "agent").await;
    let (guest, guest_id) = server.guest(&p).await;
    let rid = common::new_request_id(&p);
    let messages = format!("/{p}/requests/{rid}/messages");
    server
        .post(&messages, Some(&guest), json!({"text": "hi"}))
        .await;
    let reply = server
        .post(&messages, Some(&agent), json!({"text": "hello"}))
        .await;
    assert_eq!(reply.status, StatusCode::OK);

    let team = server
        .get(&format!("/{p}/project_users"), Some(&agent))
        .await;
    assert_eq!(team.status, StatusCode::OK, "{:?}", team.body);
    let team: Vec<TeamMember> = serde_json::from_value(team.body).unwrap();
    let roles: Vec<&str> = team.iter().map(|m| m.role.as_str()).collect();
    assert_eq!(roles, ["owner", "agent"], "agents and up, oldest first");
    let listed_agent = &team[1];
    assert_eq!(listed_agent.id_user.id, agent_id);
    assert_eq!(
        listed_agent.id_user.email.as_deref(),
        Some("agent@example.com")
    );
    assert_eq!(listed_agent.id_user.firstname.as_deref(), Some("Ann"));
    assert_eq!(listed_agent.number_assigned_requests, 1);
    assert!(listed_agent.user_available);
    assert_eq!(team[0].number_assigned_requests, 0);

    let guests = server
        .get(&format!("/{p}/project_users?role=guest"), Some(&owner))
        .await;
    let guests: Vec<TeamMember> = serde_json::from_value(guests.body).unwrap();
    assert_eq!(guests.len(), 1);
    assert_eq!(guests[0].id_user.id, guest_id);
    let bad_filter = server
        .get(&format!("/{p}/project_users?role=boss"), Some(&owner))
        .await;
    assert_eq!(bad_filter.status, StatusCode::BAD_REQUEST);

    let one = server
        .get(
            &format!("/{p}/project_users/{}", listed_agent.id),
            Some(&agent),
        )
        .await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(
        serde_json::from_value::<TeamMember>(one.body).unwrap(),
        *listed_agent
    );
    let by_user = server
        .get(
            &format!("/{p}/project_users/users/{agent_id}"),
            Some(&agent),
        )
        .await;
    assert_eq!(by_user.status, StatusCode::OK);
    let by_user: Vec<TeamMember> = serde_json::from_value(by_user.body).unwrap();
    assert_eq!(
        by_user,
        std::slice::from_ref(listed_agent),
        "a list of one, as on Tiledesk"
    );
    let stranger = server
        .get(&format!("/{p}/project_users/users/nobody"), Some(&agent))
        .await;
    assert_eq!(stranger.status, StatusCode::NOT_FOUND);
    for path in [
        format!("/{p}/project_users"),
        format!("/{p}/project_users/{}", listed_agent.id),
        format!("/{p}/project_users/users/{agent_id}"),
    ] {
        assert_eq!(
            server.get(&path, Some(&guest)).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
}

#[tokio::test]
async fn operating_hours_close_the_project_and_empty_the_available_agents() {
    let dir = data_dir();
    let server = start(dir.path());
    let p = server.demo.project_id.clone();
    let owner = server.owner();
    let project = format!("/projects/{p}");
    assert!(is_open(&server, &p).await, "open without operating hours");
    assert_eq!(widget_agents(&server, &p).await.len(), 1);

    // Active hours need hours.
    let premature = server
        .put(
            &project,
            Some(&owner),
            Some(json!({"activeOperatingHours": true})),
        )
        .await;
    assert_eq!(premature.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(premature.body["errors"][0]["param"], "activeOperatingHours");

    // No slot on any day: closed; the hours are answered as Tiledesk keeps them (JSON text).
    let closed = json!({"tzname": "Europe/Rome"}).to_string();
    let saved = server
        .put(
            &project,
            Some(&owner),
            Some(json!({"activeOperatingHours": true, "operatingHours": closed})),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
    assert_eq!(saved.body["activeOperatingHours"], true);
    assert_eq!(saved.body["operatingHours"], r#"{"tzname":"Europe/Rome"}"#);
    assert!(!is_open(&server, &p).await);
    assert!(
        widget_agents(&server, &p).await.is_empty(),
        "nobody outside hours"
    );
    let availables = format!("/projects/{p}/users/availables");
    assert_eq!(server.get(&availables, None).await.body, json!([]));
    let raw = server.get(&format!("{availables}?raw=true"), None).await;
    assert_eq!(
        raw.body.as_array().unwrap().len(),
        1,
        "raw ignores the hours"
    );

    // Open all week (given as an object this time).
    let open: Value = serde_json::from_str(&always_open()).unwrap();
    let reopened = server
        .put(
            &project,
            Some(&owner),
            Some(json!({"operatingHours": open})),
        )
        .await;
    assert_eq!(reopened.status, StatusCode::OK, "{:?}", reopened.body);
    assert!(is_open(&server, &p).await);
    assert_eq!(widget_agents(&server, &p).await.len(), 1);
    // Inactive hours leave the project open whatever they say.
    let inactive = server
        .put(
            &project,
            Some(&owner),
            Some(json!({"activeOperatingHours": false, "operatingHours": closed})),
        )
        .await;
    assert_eq!(inactive.status, StatusCode::OK);
    assert!(is_open(&server, &p).await);

    for bad in [
        json!({"operatingHours": "not json"}),
        json!({"operatingHours": {"1": []}}),
        json!({"operatingHours": {"tzname": "Nowhere/City"}}),
        json!({"operatingHours": {"1": [{"start": "18:00", "end": "09:00"}], "tzname": "UTC"}}),
        json!({"operatingHours": 5}),
        json!({"activeOperatingHours": "yes"}),
    ] {
        let answer = server.put(&project, Some(&owner), Some(bad.clone())).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}: {:?}",
            answer.body
        );
    }

    // GET /projects/:pid for agents and up.
    let (agent, _) = server.teammate(&p, "agent@example.com", "agent").await;
    let (guest, _) = server.guest(&p).await;
    let read = server.get(&project, Some(&agent)).await;
    assert_eq!(read.status, StatusCode::OK, "{:?}", read.body);
    assert_eq!(read.body["_id"], p.as_str());
    assert_eq!(read.body["activeOperatingHours"], false);
    assert_eq!(
        server.get(&project, Some(&guest)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        server.get(&project, None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let unknown = server
        .call(
            Method::GET,
            "/projects/0123456789abcdef01234567/isopen",
            None,
            None,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    let bad_department = server
        .get(&format!("{availables}?department=nope"), None)
        .await;
    assert_eq!(bad_department.status, StatusCode::BAD_REQUEST);
    let no_department = server
        .get(
            &format!("{availables}?department=0123456789abcdef01234567"),
            None,
        )
        .await;
    assert_eq!(no_department.status, StatusCode::NOT_FOUND);
}
