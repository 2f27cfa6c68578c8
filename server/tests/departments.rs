//! Project widget settings (`PUT /projects/:id`, shown by `/widgets`), departments (read, changed,
//! hidden, with members and routing) and the department a conversation is started for and routed by.

mod common;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tiledesk_protocol::{Department, WidgetConfig};

use common::{data_dir, new_request_id, start, TestServer};

/// `GET /:project_id/widgets` without credentials.
async fn widgets(server: &TestServer, project: &str) -> WidgetConfig {
    let answer = server.get(&format!("/{project}/widgets"), None).await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    serde_json::from_value(answer.body).expect("a widget configuration")
}

#[tokio::test]
async fn admins_save_widget_settings_that_the_widget_config_shows() {
    let dir = data_dir();
    let server = start(dir.path());
    let p = server.demo.project_id.clone();
    let path = format!("/projects/{p}");
    let (admin, _) = server.teammate(&p, "admin@example.com", "admin").await;
    let (agent, _) = server.teammate(&p, "agent@example.com", "agent").await;
    let (guest, _) = server.guest(&p).await;
    assert_eq!(widgets(&server, &p).await.project.widget, None);

    let settings = json!({"themeColor": "#ff0000", "calloutTimer": 5});
    let saved = server
        .put(
            &path,
            Some(&server.owner()),
            Some(json!({"widget": settings})),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
    assert_eq!(saved.body["_id"], p.as_str());
    assert_eq!(saved.body["widget"], settings);
    assert_eq!(widgets(&server, &p).await.project.widget, Some(settings));

    // A rename keeps the settings; new settings replace the old ones.
    let renamed = server
        .put(&path, Some(&admin), Some(json!({"name": "  Shop  "})))
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{:?}", renamed.body);
    assert_eq!(renamed.body["name"], "Shop");
    let replaced = json!({"align": "left"});
    let again = server
        .put(&path, Some(&admin), Some(json!({"widget": replaced})))
        .await;
    assert_eq!(again.status, StatusCode::OK, "{:?}", again.body);
    let config = widgets(&server, &p).await;
    assert_eq!(config.project.name, "Shop");
    assert_eq!(config.project.widget, Some(replaced.clone()));

    // Below admin: refused, nothing changes.
    let body = json!({"widget": {"themeColor": "#000000"}});
    for (auth, status) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some(guest.as_str()), StatusCode::FORBIDDEN),
        (Some(agent.as_str()), StatusCode::FORBIDDEN),
    ] {
        let answer = server.put(&path, auth, Some(body.clone())).await;
        assert_eq!(answer.status, status, "{:?}", answer.body);
        assert!(answer.body.is_object());
    }
    assert_eq!(widgets(&server, &p).await.project.widget, Some(replaced));

    // Invalid bodies: a JSON error each.
    let big = json!({"css": "x".repeat(64 * 1024)});
    for invalid in [
        json!({"widget": "red"}),
        json!({"widget": [1, 2]}),
        json!({"widget": 5}),
        json!({"widget": big}),
        json!({"name": ""}),
        json!({"name": "x".repeat(201)}),
        json!({"name": 7}),
    ] {
        let answer = server.put(&path, Some(&admin), Some(invalid.clone())).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{invalid}: {:?}",
            answer.body
        );
        assert!(answer.body["errors"].is_array(), "{:?}", answer.body);
    }
    let malformed = server
        .client
        .put(server.url(&path))
        .header("Authorization", &admin)
        .header("Content-Type", "application/json")
        .body("{\"widget\":")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    let malformed: Value = malformed.json().await.unwrap();
    assert_eq!(malformed["success"], false);
    let unknown = server
        .put(
            "/projects/0123456789abcdef01234567",
            Some(&admin),
            Some(json!({})),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(widgets(&server, &p).await.project.name, "Shop");
}

#[tokio::test]
async fn admins_create_and_delete_departments_that_anyone_lists() {
    let dir = data_dir();
    let server = start(dir.path());
    let p = server.demo.project_id.clone();
    let list = format!("/{p}/departments");
    let (admin, admin_id) = server.teammate(&p, "admin@example.com", "admin").await;
    let (agent, _) = server.teammate(&p, "agent@example.com", "agent").await;
    let (guest, _) = server.guest(&p).await;
    assert_eq!(server.get(&list, None).await.body, json!([]));

    let created = server
        .post(&list, Some(&admin), json!({"name": " Sales "}))
        .await;
    assert_eq!(created.status, StatusCode::OK, "{:?}", created.body);
    let sales: Department = serde_json::from_value(created.body.clone()).unwrap();
    assert_eq!(sales.name, "Sales");
    assert_eq!(sales.id_project, p);
    assert_eq!(sales.id.len(), 24);
    assert!(!sales.default);
    assert_eq!(sales.status, 1);
    assert_eq!(sales.created_by, admin_id);
    assert!(!sales.created_at.is_empty() && !sales.updated_at.is_empty());
    let support = server
        .post(&list, Some(&server.owner()), json!({"name": "Support"}))
        .await;
    assert_eq!(support.status, StatusCode::OK, "{:?}", support.body);

    for (auth, status) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some(guest.as_str()), StatusCode::FORBIDDEN),
        (Some(agent.as_str()), StatusCode::FORBIDDEN),
    ] {
        let answer = server
            .call(Method::POST, &list, auth, Some(json!({"name": "X"})))
            .await;
        assert_eq!(answer.status, status, "{:?}", answer.body);
    }
    for invalid in [json!({"name": ""}), json!({"name": "\u{7}"}), json!({})] {
        let answer = server.post(&list, Some(&admin), invalid.clone()).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{invalid}: {:?}",
            answer.body
        );
    }

    // Listed publicly, oldest first, and in the widget configuration.
    let listed: Vec<Department> =
        serde_json::from_value(server.get(&list, None).await.body).unwrap();
    let names: Vec<_> = listed.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["Sales", "Support"]);
    assert_eq!(listed[0], sales);
    assert_eq!(widgets(&server, &p).await.departments, listed);

    let one = format!("/{p}/departments/{}", sales.id);
    for (auth, status) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some(guest.as_str()), StatusCode::FORBIDDEN),
        (Some(agent.as_str()), StatusCode::FORBIDDEN),
    ] {
        let answer = server.call(Method::DELETE, &one, auth, None).await;
        assert_eq!(answer.status, status, "{:?}", answer.body);
    }
    let deleted = server.call(Method::DELETE, &one, Some(&admin), None).await;
    assert_eq!(deleted.status, StatusCode::OK, "{:?}", deleted.body);
    assert_eq!(deleted.body["_id"], sales.id.as_str());
    let twice = server.call(Method::DELETE, &one, Some(&admin), None).await;
    assert_eq!(twice.status, StatusCode::NOT_FOUND);
    let malformed = server
        .call(
            Method::DELETE,
            &format!("/{p}/departments/nope"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert!(malformed.body.is_object());
    let names: Vec<_> = widgets(&server, &p)
        .await
        .departments
        .into_iter()
        .map(|d| d.name)
        .collect();
    assert_eq!(names, ["Support"]);
}

#[tokio::test]
async fn a_first_message_naming_a_department_starts_the_request_for_it() {
    let dir = data_dir();
    let server = start(dir.path());
    let p = server.demo.project_id.clone();
    let owner = server.owner();
    let created = server
        .post(
            &format!("/{p}/departments"),
            Some(&owner),
            json!({"name": "Sales"}),
        )
        .await;
    let sales = created.body["_id"].as_str().unwrap().to_owned();
    let other = server
        .post(
            &format!("/{p}/departments"),
            Some(&owner),
            json!({"name": "Support"}),
        )
        .await;
    let support = other.body["_id"].as_str().unwrap().to_owned();
    // A department of another project.
    let (outsider, _) = server.user("outsider@example.com").await;
    let elsewhere = server
        .post("/projects", Some(&outsider), json!({"name": "Elsewhere"}))
        .await;
    let q = elsewhere.body["_id"].as_str().unwrap().to_owned();
    let foreign = server
        .post(
            &format!("/{q}/departments"),
            Some(&outsider),
            json!({"name": "Theirs"}),
        )
        .await;
    let foreign = foreign.body["_id"].as_str().unwrap().to_owned();
    let (guest, _) = server.guest(&p).await;

    let rid = new_request_id(&p);
    let messages = format!("/{p}/requests/{rid}/messages");
    let first = server
        .post(
            &messages,
            Some(&guest),
            json!({"text": "hi", "attributes": {"departmentId": sales}}),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
    let department = json!({"_id": sales, "name": "Sales"});
    assert_eq!(first.body["request"]["department"], department);
    // Later messages do not move the conversation.
    let later = server
        .post(
            &messages,
            Some(&guest),
            json!({"text": "again", "attributes": {"departmentId": support}}),
        )
        .await;
    assert_eq!(later.status, StatusCode::OK, "{:?}", later.body);
    assert_eq!(later.body["request"]["department"], department);
    // Deleting the department keeps it on the conversation.
    let deleted = server
        .call(
            Method::DELETE,
            &format!("/{p}/departments/{sales}"),
            Some(&owner),
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::OK);
    let request = server
        .get(&format!("/{p}/requests/{rid}"), Some(&owner))
        .await;
    assert_eq!(request.status, StatusCode::OK, "{:?}", request.body);
    assert_eq!(request.body["department"], department);

    // Unknown, deleted, foreign, malformed or missing ids: no department.
    for attributes in [
        json!({"departmentId": "0123456789abcdef01234567"}),
        json!({"departmentId": sales}),
        json!({"departmentId": foreign}),
        json!({"departmentId": "sales"}),
        json!({"departmentId": 7}),
        json!({}),
    ] {
        let rid = new_request_id(&p);
        let answer = server
            .post(
                &format!("/{p}/requests/{rid}/messages"),
                Some(&guest),
                json!({"text": "hi", "attributes": attributes}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
        assert!(
            answer.body["request"].get("department").is_none(),
            "{attributes}: {:?}",
            answer.body["request"]
        );
    }
}

/// The project user id of `user` in `project`, read by the owner.
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

/// Starts a conversation for `department` as a new guest: its request.
async fn start_for(server: &TestServer, project: &str, department: &str) -> Value {
    let (guest, _) = server.guest(project).await;
    let rid = new_request_id(project);
    let answer = server
        .post(
            &format!("/{project}/requests/{rid}/messages"),
            Some(&guest),
            json!({"text": "hi", "attributes": {"departmentId": department}}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    answer.body["request"].clone()
}

#[tokio::test]
async fn assigned_departments_give_requests_to_available_members_in_turn() {
    let dir = data_dir();
    let server = start(dir.path());
    let p = server.demo.project_id.clone();
    let owner = server.owner();
    let (first, first_id) = server.teammate(&p, "first@example.com", "agent").await;
    let (_, second_id) = server.teammate(&p, "second@example.com", "agent").await;
    let (_, user_id) = server.teammate(&p, "user@example.com", "user").await;
    let first_member = member_id(&server, &p, &first_id).await;
    let second_member = member_id(&server, &p, &second_id).await;
    let user_member = member_id(&server, &p, &user_id).await;

    // Members must be agents of the project.
    for members in [
        json!([user_member]),
        json!(["nope"]),
        json!(["0123456789abcdef01234567"]),
    ] {
        let answer = server
            .post(
                &format!("/{p}/departments"),
                Some(&owner),
                json!({"name": "Sales", "routing": "assigned", "members": members}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{members}");
        assert_eq!(answer.body["errors"][0]["param"], "members");
    }
    let created = server
        .post(
            &format!("/{p}/departments"),
            Some(&owner),
            json!({"name": "Sales", "routing": "assigned", "description": "Buyers",
                   "members": [first_member, second_member]}),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{:?}", created.body);
    let sales: Department = serde_json::from_value(created.body).unwrap();
    assert_eq!(sales.routing, "assigned");
    assert_eq!(sales.members, [first_member.clone(), second_member.clone()]);
    assert_eq!(sales.description.as_deref(), Some("Buyers"));

    // Round robin among the available members.
    let mut assigned = Vec::new();
    for _ in 0..3 {
        let request = start_for(&server, &p, &sales.id).await;
        assert_eq!(request["status"], 200, "{request}");
        assigned.push(request["participants"][0].as_str().unwrap().to_owned());
    }
    assert_eq!(
        assigned,
        [first_id.clone(), second_id.clone(), first_id.clone()]
    );
    // The second one goes offline: the first takes every request.
    let offline = server
        .put(
            &format!("/{p}/project_users/{second_member}"),
            Some(&owner),
            Some(json!({"user_available": false})),
        )
        .await;
    assert_eq!(offline.status, StatusCode::OK);
    for _ in 0..2 {
        let request = start_for(&server, &p, &sales.id).await;
        assert_eq!(request["participants"], json!([first_id]));
    }
    // Nobody available: unassigned.
    let own = server
        .put(
            &format!("/{p}/project_users/"),
            Some(&first),
            Some(json!({"user_available": false})),
        )
        .await;
    assert_eq!(own.status, StatusCode::OK);
    let nobody = start_for(&server, &p, &sales.id).await;
    assert_eq!(nobody["status"], 100);
    assert_eq!(nobody["participants"], json!([]));
    let availables: Vec<Value> = serde_json::from_value(
        server
            .get(
                &format!("/projects/{p}/users/availables?department={}", sales.id),
                None,
            )
            .await
            .body,
    )
    .unwrap();
    assert!(availables.is_empty());

    // A pooled department leaves its requests unassigned even with agents available; moving a
    // request to the assigned one routes it.
    server
        .put(
            &format!("/{p}/project_users/{second_member}"),
            Some(&owner),
            Some(json!({"user_available": true})),
        )
        .await;
    let pooled = server
        .post(
            &format!("/{p}/departments"),
            Some(&owner),
            json!({"name": "Pool"}),
        )
        .await;
    assert_eq!(pooled.body["routing"], "pooled");
    let pool_id = pooled.body["_id"].as_str().unwrap().to_owned();
    let waiting = start_for(&server, &p, &pool_id).await;
    assert_eq!(waiting["status"], 100);
    let rid = waiting["request_id"].as_str().unwrap();
    let moved = server
        .put(
            &format!("/{p}/requests/{rid}/departments"),
            Some(&first),
            Some(json!({"departmentid": sales.id})),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{:?}", moved.body);
    assert_eq!(moved.body["department"]["_id"], sales.id.as_str());
    assert_eq!(moved.body["participants"], json!([second_id]));
    assert_eq!(moved.body["status"], 200);
}

#[tokio::test]
async fn departments_are_read_changed_and_hidden() {
    let dir = data_dir();
    let server = start(dir.path());
    let p = server.demo.project_id.clone();
    let owner = server.owner();
    let (agent, _) = server.teammate(&p, "agent@example.com", "agent").await;
    let created = server
        .post(
            &format!("/{p}/departments"),
            Some(&owner),
            json!({"name": "Sales"}),
        )
        .await;
    let id = created.body["_id"].as_str().unwrap().to_owned();
    let one = format!("/{p}/departments/{id}");
    let public = server.get(&one, None).await;
    assert_eq!(public.status, StatusCode::OK);
    assert_eq!(public.body["name"], "Sales");

    let changed = server
        .put(
            &one,
            Some(&owner),
            Some(json!({"name": "Sales EU", "routing": "assigned", "status": 0})),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{:?}", changed.body);
    assert_eq!(changed.body["name"], "Sales EU");
    assert_eq!(changed.body["routing"], "assigned");
    // Status 0 hides it from the widget, not from agents.
    assert!(widgets(&server, &p).await.departments.is_empty());
    assert_eq!(
        server.get(&format!("/{p}/departments"), None).await.body,
        json!([])
    );
    let all = server
        .get(&format!("/{p}/departments/allstatus"), Some(&agent))
        .await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(all.body[0]["_id"], id.as_str());
    let hidden = server
        .put(&one, Some(&owner), Some(json!({"status": -1})))
        .await;
    assert_eq!(hidden.status, StatusCode::OK);
    let all = server
        .get(&format!("/{p}/departments/allstatus"), Some(&agent))
        .await;
    assert_eq!(all.body, json!([]));

    for bad in [
        json!({"routing": "random"}),
        json!({"status": 2}),
        json!({"name": ""}),
        json!({"members": "all"}),
        json!({"description": "x".repeat(1001)}),
    ] {
        let answer = server.put(&one, Some(&owner), Some(bad.clone())).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    for (auth, status) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some(agent.as_str()), StatusCode::FORBIDDEN),
    ] {
        let answer = server.put(&one, auth, Some(json!({"name": "X"}))).await;
        assert_eq!(answer.status, status);
    }
    let (guest, _) = server.guest(&p).await;
    assert_eq!(
        server
            .get(&format!("/{p}/departments/allstatus"), Some(&guest))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let unknown = format!("/{p}/departments/0123456789abcdef01234567");
    assert_eq!(
        server.get(&unknown, None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        server
            .put(&unknown, Some(&owner), Some(json!({"name": "X"})))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        server
            .get(&format!("/{p}/departments/nope"), None)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}
