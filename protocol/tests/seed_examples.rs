//! Reads the JSON examples of the Tiledesk documentation (`../shared/seeds`, `../shared/reference`) with the protocol types.

use serde_json::{json, Value};
use tiledesk_protocol::bridge::{
    Envelope, HostToWidget, LayoutMode, Method, WidgetEvent, WidgetToHost,
};
use tiledesk_protocol::realtime::messages_topic;
use tiledesk_protocol::request::support_group_id;
use tiledesk_protocol::{
    AnonymousSignin, AuthResponse, ErrorBody, Frame, Message, NewMessage, PublishMethod,
};

#[test]
fn anonymous_signin_example_of_the_tutorial() {
    let body: AnonymousSignin = serde_json::from_value(
        json!({"id_project":"5e2c35c8f0dbc10017bb3aac", "firstname":"John"}),
    )
    .unwrap();
    assert_eq!(body.id_project, "5e2c35c8f0dbc10017bb3aac");
    assert_eq!(body.firstname.as_deref(), Some("John"));

    let answer: AuthResponse = serde_json::from_value(json!({
        "success": true,
        "token": "JWT eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.XYZ....",
        "user": {
            "_id": "fc43a0e1-ba85-404e-9a44-bf0050330898",
            "firstname": "John",
            "id": "fc43a0e1-ba85-404e-9a44-bf0050330898",
            "fullName": "John"
        }
    }))
    .unwrap();
    assert!(answer.token.starts_with("JWT "));
    assert_eq!(answer.user.id, "fc43a0e1-ba85-404e-9a44-bf0050330898");
    assert_eq!(
        answer.user.guest_id.as_deref(),
        Some(answer.user.id.as_str())
    );
    assert_eq!(answer.user.display_name(), "John");
}

#[test]
fn anonymous_signin_without_project_reads_with_an_empty_project_id() {
    let body: AnonymousSignin = serde_json::from_value(json!({"firstname":"John"})).unwrap();
    assert_eq!(body.id_project, "");
    assert_eq!(body.firstname.as_deref(), Some("John"));
}

#[test]
fn signin_user_without_full_name_shows_first_and_last_name() {
    let answer: AuthResponse = serde_json::from_value(json!({
        "success": true, "token": "JWT x",
        "user": {"_id": "5e2c357af0dbc10017bb3aa7", "email": "a@b.c", "firstname": "demo", "lastname": "agent", "emailverified": true}
    }))
    .unwrap();
    assert_eq!(answer.user.display_name(), "demo agent");
    assert_eq!(answer.user.email.as_deref(), Some("a@b.c"));
}

#[test]
fn tutorial_message_bodies_read_as_new_messages() {
    let first: NewMessage =
        serde_json::from_value(json!({"text":"hello from anonym user"})).unwrap();
    assert_eq!(first.text.as_deref(), Some("hello from anonym user"));
    assert_eq!(first.kind, None);
    let with_client_id: NewMessage = serde_json::from_value(
        json!({"text":"hi","type":"text","attributes":{"clientMessageId":"c-1"}}),
    )
    .unwrap();
    assert_eq!(with_client_id.client_id(), Some("c-1"));
}

/// The `payload` of the tutorial's `message.create` webhook example, including its empty-string metadata.
fn tutorial_webhook_message() -> Value {
    json!({
        "type":"text",
        "status":200,
        "_id":"5e2c6b958c9612001716bede",
        "sender":"5e2c357af0dbc10017bb3aa7",
        "senderFullname":"demo demo",
        "recipient":"support-group-27df7cbf-3946-4ca4-9b17-dc16114108f10",
        "text":"Hi I'm Rosy. How can help you?",
        "id_project":"5e2c35c8f0dbc10017bb3aac",
        "createdBy":"5e2c357af0dbc10017bb3aa7",
        "metadata":"",
        "attributes":{
            "client":"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_5)",
            "sourcePage":"https://api.tiledesk.com/v3/chat/index.html",
            "userEmail":"aaa@example.com",
            "userFullname":"aaa22 aaa22"
        },
        "createdAt":"2020-01-25T16:23:49.394Z",
        "updatedAt":"2020-01-25T16:23:49.394Z",
        "__v":0
    })
}

#[test]
fn webhook_payload_example_reads_as_a_message_and_round_trips() {
    let message: Message = serde_json::from_value(tutorial_webhook_message()).unwrap();
    assert_eq!(message.id, "5e2c6b958c9612001716bede");
    assert_eq!(message.kind, "text");
    assert_eq!(message.sender_fullname, "demo demo");
    assert_eq!(message.metadata, Some(json!("")));
    assert_eq!(message.client_id(), None);
    let written = serde_json::to_value(&message).unwrap();
    for key in [
        "_id",
        "senderFullname",
        "createdAt",
        "updatedAt",
        "__v",
        "type",
        "channel_type",
        "id_project",
    ] {
        assert!(written.get(key).is_some(), "{key} missing from {written}");
    }
    let again: Message = serde_json::from_value(written).unwrap();
    assert_eq!(again, message);
}

#[test]
fn message_answer_with_its_request_reads() {
    let mut answer = tutorial_webhook_message();
    answer["request"] = json!({
        "_id": "5e2c6b958c9612001716bedf",
        "request_id": "support-group-27df7cbf-3946-4ca4-9b17-dc16114108f10",
        "id_project": "5e2c35c8f0dbc10017bb3aac",
        "status": 200,
        "first_text": "hello",
        "participants": ["5e2c357af0dbc10017bb3aa7"],
        "lead": {"_id": "5e2c6b958c9612001716bee0", "fullname": "John"},
        "createdAt": "2020-01-25T16:23:49.394Z"
    });
    let message: Message = serde_json::from_value(answer).unwrap();
    let request = message.request.expect("request");
    assert_eq!(request.status, 200);
    assert_eq!(request.participants.len(), 1);
}

#[test]
fn error_bodies_of_both_shapes_have_text() {
    let not_found: ErrorBody =
        serde_json::from_value(json!({"success":false,"msg":"Object not found."})).unwrap();
    assert_eq!(not_found.text(), Some("Object not found."));
    let project: ErrorBody =
        serde_json::from_value(json!({"error":"Invalid project id: X"})).unwrap();
    assert_eq!(project.text(), Some("Invalid project id: X"));
    assert_eq!(
        serde_json::to_value(ErrorBody::msg("m")).unwrap(),
        json!({"success":false,"msg":"m"})
    );
}

#[test]
fn websocket_frames_match_the_reference() {
    let subscribe = Frame::subscribe(messages_topic("p1", "support-group-p1-abc"));
    assert_eq!(
        serde_json::to_value(&subscribe).unwrap(),
        json!({"action":"subscribe","payload":{"topic":"/p1/requests/support-group-p1-abc/messages"}})
    );
    assert_eq!(
        serde_json::to_value(Frame::heartbeat("ping")).unwrap(),
        json!({"action":"heartbeat","payload":{"message":{"text":"ping"}}})
    );
    let first: Frame = serde_json::from_value(json!({
        "action":"publish",
        "payload":{"topic":"/p/requests/r/messages","method":"CREATE","message":[tutorial_webhook_message(), {"not":"a message"}]}
    }))
    .unwrap();
    let Frame::Publish(publication) = first else {
        panic!("not a publish frame")
    };
    assert_eq!(publication.method, PublishMethod::Create);
    assert_eq!(publication.messages().len(), 1);
    let single: Frame = serde_json::from_value(json!({
        "action":"publish",
        "payload":{"topic":"/p/requests/r/messages","method":"CREATE","message":tutorial_webhook_message()}
    }))
    .unwrap();
    let Frame::Publish(publication) = single else {
        panic!("not a publish frame")
    };
    assert_eq!(
        publication.messages()[0].text,
        "Hi I'm Rosy. How can help you?"
    );
}

#[test]
fn conversation_ids_follow_the_widget_pattern() {
    let id = support_group_id(
        "5e2c35c8f0dbc10017bb3aac",
        "27df7cbf-3946-4ca4-9b17-dc16114108f8",
    );
    assert_eq!(
        id,
        "support-group-5e2c35c8f0dbc10017bb3aac-27df7cbf39464ca49b17dc16114108f8"
    );
}

#[test]
fn bridge_messages_are_versioned_and_typed() {
    let call = Envelope::<HostToWidget>::open(json!({"tiledesk":1,"type":"call","method":"open"}))
        .unwrap();
    assert_eq!(
        call,
        HostToWidget::Call {
            method: "open".into(),
            arg: Value::Null
        }
    );
    assert!(
        Envelope::<HostToWidget>::open(json!({"tiledesk":2,"type":"call","method":"open"}))
            .is_none()
    );
    assert!(Envelope::<HostToWidget>::open(json!({"type":"call","method":"open"})).is_none());
    assert!(Envelope::<HostToWidget>::open(json!("open")).is_none());
    let init = Envelope::<HostToWidget>::open(json!({
        "tiledesk":1,"type":"init","settings":{"projectid":"p"},"href":"https://shop.example/?a=1"
    }))
    .unwrap();
    assert!(matches!(init, HostToWidget::Init { .. }));

    let event = Envelope::new(WidgetToHost::Event {
        name: WidgetEvent::MessageCreated,
        detail: json!({"message":{}}),
    });
    assert_eq!(
        serde_json::to_value(&event).unwrap(),
        json!({"tiledesk":1,"type":"event","name":"onMessageCreated","detail":{"message":{}}})
    );
    assert_eq!(
        serde_json::to_value(Envelope::new(WidgetToHost::Layout {
            mode: LayoutMode::Open
        }))
        .unwrap(),
        json!({"tiledesk":1,"type":"layout","mode":"open"})
    );
    assert_eq!(
        serde_json::to_value(Envelope::new(WidgetToHost::Ready)).unwrap(),
        json!({"tiledesk":1,"type":"ready"})
    );
    assert_eq!(Method::parse("hide"), Some(Method::Hide));
    assert_eq!(Method::parse("explode"), None);
}
