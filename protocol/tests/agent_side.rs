//! Reads the Tiledesk shapes of the agent side (project users, projects with operating hours,
//! departments, leads, labels, request tags) with the protocol types.

use serde_json::json;
use tiledesk_protocol::realtime::{request_topic, requests_topic};
use tiledesk_protocol::{
    Department, LabelEntry, Lead, Message, Project, Request, Routing, TeamMember,
};

#[test]
fn a_populated_tiledesk_project_user_reads_as_a_team_member() {
    let member: TeamMember = serde_json::from_value(json!({
        "_id": "5e2c35c8f0dbc10017bb3aad", "id_project": "5e2c35c8f0dbc10017bb3aac",
        "id_user": {"_id": "5e2c357af0dbc10017bb3aa7", "email": "a@b.co", "firstname": "Ann",
                    "lastname": "Lee", "emailverified": true},
        "role": "agent", "roleType": 1, "user_available": true, "number_assigned_requests": 2,
        "isBusy": false, "status": "active", "createdAt": "2020-01-25T16:23:49.394Z",
        "updatedAt": "2020-01-25T16:23:49.394Z", "__v": 0
    }))
    .unwrap();
    assert_eq!(member.id_user.display_name(), "Ann Lee");
    assert!(member.user_available);
    assert_eq!(member.number_assigned_requests, 2);
}

#[test]
fn operating_hours_departments_and_labels_read_as_tiledesk_sends_them() {
    let project: Project = serde_json::from_value(json!({
        "_id": "5e2c35c8f0dbc10017bb3aac", "name": "P", "activeOperatingHours": true,
        "operatingHours": "{\"1\":[{\"start\":\"09:00\",\"end\":\"18:00\"}],\"tzname\":\"Europe/Rome\"}"
    }))
    .unwrap();
    assert_eq!(project.active_operating_hours, Some(true));
    assert!(project
        .operating_hours
        .unwrap()
        .as_str()
        .unwrap()
        .contains("tzname"));
    let department: Department = serde_json::from_value(json!({
        "_id": "d", "id_project": "p", "name": "Sales", "routing": "assigned", "default": false,
        "status": 1, "groups": [{"group_id": "g", "percentage": 100}]
    }))
    .unwrap();
    assert_eq!(department.routing, Routing::ASSIGNED);
    assert!(department.members.is_empty());
    let older: Department =
        serde_json::from_value(json!({"_id": "d", "id_project": "p", "name": "Old"})).unwrap();
    assert_eq!(older.routing, Routing::POOLED, "Tiledesk's default");
    // An entry of the real server's widget.json.
    let label: LabelEntry = serde_json::from_value(json!({
        "lang": "EN", "data": {"LABEL_PLACEHOLDER": "type your message.."}
    }))
    .unwrap();
    assert_eq!(label.data["LABEL_PLACEHOLDER"], "type your message..");
    assert!(!label.default);
}

#[test]
fn leads_tags_private_notes_and_request_topics() {
    let request: Request = serde_json::from_value(json!({
        "_id": "r", "request_id": "support-group-1", "id_project": "p", "status": 200,
        "createdAt": "t", "subject": "Parcel", "tags": [{"tag": "vip", "color": "#f00"}],
        "lead": {"_id": "l", "lead_id": "u", "fullname": "Ada", "email": "ada@example.com",
                 "attributes": {}, "id_project": "p", "status": 100, "createdAt": "t"}
    }))
    .unwrap();
    assert_eq!(request.tags[0].tag, "vip");
    let lead: Lead = serde_json::from_value(request.lead.unwrap()).unwrap();
    assert_eq!(lead.fullname.as_deref(), Some("Ada"));
    let note: Message = serde_json::from_value(json!({
        "_id": "m", "sender": "a", "recipient": "support-group-1", "id_project": "p",
        "createdAt": "t", "attributes": {"subtype": "private"}
    }))
    .unwrap();
    assert!(note.is_private());
    assert_eq!(requests_topic("p"), "/p/requests");
    assert_eq!(request_topic("p", "r"), "/p/requests/r");
}
