//! Reads the JSON examples of the Tiledesk documentation (`../shared/seeds`, `../shared/reference`) with the protocol types.

use serde_json::{json, Value};
use tiledesk_protocol::bridge::{
    tab_lock, Envelope, Geometry, HostStorage, HostToWidget, LayoutMode, Method, StorageArea,
    WidgetEvent, WidgetToHost, STORAGE_PREFIX,
};
use tiledesk_protocol::event::{emit_named, EMIT};
use tiledesk_protocol::realtime::events_topic;
use tiledesk_protocol::realtime::messages_topic;
use tiledesk_protocol::request::support_group_id;
use tiledesk_protocol::team::custom_token_audience;
use tiledesk_protocol::{
    AnonymousSignin, AuthResponse, Delivery, DeliveryLog, Department, ErrorBody, Event, EventPage,
    Frame, Invite, Message, NewDepartment, NewEvent, NewMessage, NewSubscription, ProjectUpdate,
    PublishMethod, Rating, Subscription, WidgetConfig,
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
    let open = |value: Value| Envelope::<HostToWidget>::open(value);
    let call = open(json!({"tiledesk":1,"type":"call","method":"open"})).unwrap();
    assert_eq!(
        call,
        HostToWidget::Call {
            id: None,
            method: "open".into(),
            arg: Value::Null
        }
    );
    let with_id =
        open(json!({"tiledesk":1,"type":"call","id":7,"method":"getPreChatFormJson"})).unwrap();
    assert!(matches!(with_id, HostToWidget::Call { id: Some(7), .. }));
    let reply =
        open(json!({"tiledesk":1,"type":"eventReply","id":3,"detail":{"message":{}}})).unwrap();
    assert!(matches!(reply, HostToWidget::EventReply { id: 3, .. }));
    assert!(open(json!({"tiledesk":2,"type":"call","method":"open"})).is_none());
    assert!(open(json!({"type":"call","method":"open"})).is_none());
    assert!(open(json!("open")).is_none());
    let init = open(
        json!({"tiledesk":1,"type":"init","settings":{"projectid":"p"},"href":"https://shop.example/?a=1"}),
    );
    assert!(matches!(init, Some(HostToWidget::Init { .. })));

    let to_json = |body: WidgetToHost| serde_json::to_value(Envelope::new(body)).unwrap();
    assert_eq!(
        to_json(WidgetToHost::Event {
            name: WidgetEvent::MessageCreated,
            detail: json!({"message":{}}),
            id: None
        }),
        json!({"tiledesk":1,"type":"event","name":"onMessageCreated","detail":{"message":{}}})
    );
    assert_eq!(
        to_json(WidgetToHost::Event {
            name: WidgetEvent::BeforeMessageSend,
            detail: json!({}),
            id: Some(4)
        }),
        json!({"tiledesk":1,"type":"event","name":"onBeforeMessageSend","detail":{},"id":4})
    );
    assert_eq!(
        to_json(WidgetToHost::Layout {
            mode: LayoutMode::Open,
            geometry: None
        }),
        json!({"tiledesk":1,"type":"layout","mode":"open"})
    );
    let geometry = Geometry {
        align: "left".into(),
        margin_x: "20px".into(),
        margin_y: "20px".into(),
        mobile_margin_x: "0px".into(),
        mobile_margin_y: "0px".into(),
        launcher_width: "60px".into(),
        launcher_height: "60px".into(),
        fullscreen: false,
        size: "min".into(),
        panel_width: "400px".into(),
        panel_height: "min(704px,calc(100% - 20px - 20px))".into(),
        display_on_desktop: true,
        display_on_mobile: false,
    };
    assert_eq!(
        to_json(WidgetToHost::Layout {
            mode: LayoutMode::Closed,
            geometry: Some(geometry)
        })["geometry"],
        json!({"align":"left","marginX":"20px","marginY":"20px","mobileMarginX":"0px","mobileMarginY":"0px",
               "launcherWidth":"60px","launcherHeight":"60px","fullscreen":false,"size":"min",
               "panelWidth":"400px","panelHeight":"min(704px,calc(100% - 20px - 20px))",
               "displayOnDesktop":true,"displayOnMobile":false})
    );
    assert_eq!(
        to_json(WidgetToHost::Result {
            id: 7,
            ok: false,
            value: Value::Null,
            error: Some("no".into())
        }),
        json!({"tiledesk":1,"type":"result","id":7,"ok":false,"value":null,"error":"no"})
    );
    assert_eq!(
        to_json(WidgetToHost::Ready),
        json!({"tiledesk":1,"type":"ready"})
    );
    assert_eq!(
        serde_json::to_value(WidgetEvent::BeforeDepartmentsFormRender).unwrap(),
        json!("onBeforeDepartmentsFormRender")
    );
    assert_eq!(Method::parse("hide"), Some(Method::Hide));
    assert_eq!(Method::parse("explode"), None);
    assert_eq!(
        Method::parse("dispose"),
        None,
        "dispose belongs to the loader"
    );
    for (name, method) in Method::ALL {
        assert_eq!(Method::parse(name), Some(method));
    }
}

#[test]
fn subscription_examples_of_the_webhooks_page_read() {
    let body: NewSubscription = serde_json::from_value(json!({
        "event":"request.create", "target":"https://webhook.site/c312005b-5042-49e9-a769-0f3ba4245b51"
    }))
    .unwrap();
    assert_eq!(body.event, "request.create");
    let created: Subscription = serde_json::from_value(json!({
        "__v":0,
        "updatedAt":"2019-03-12T12:01:56.462Z",
        "createdAt":"2019-03-12T12:01:56.462Z",
        "target":"https://webhook.site/c312005b-5042-49e9-a769-0f3ba4245b51",
        "event":"request.create",
        "id_project":"5b55e806c93dde00143163dd",
        "createdBy":"5ab11c6b83dc240014d46095",
        "_id":"5c879fb4f1ae6600173b8c75",
        "secret":"56c189c8-33ae-4930-bd98-410a12aa45ce"
    }))
    .unwrap();
    assert_eq!(
        created.secret.as_deref(),
        Some("56c189c8-33ae-4930-bd98-410a12aa45ce")
    );
    let mut listed = serde_json::to_value(&created).unwrap();
    listed.as_object_mut().unwrap().remove("secret");
    let listed: Subscription = serde_json::from_value(listed).unwrap();
    assert_eq!(listed.secret, None);
    assert!(serde_json::to_value(&listed)
        .unwrap()
        .get("secret")
        .is_none());
}

#[test]
fn history_example_of_the_webhooks_page_reads() {
    let entry: DeliveryLog = serde_json::from_value(json!({
        "_id":"5e3ae8309ae7ee0017d91609",
        "event":"message.create",
        "target":"https://tiledesk.requestcatcher.com/test",
        "response":"{\"statusCode\":200,\"body\":\"request caught\"}",
        "body":"\"request caught\"",
        "err":null,
        "id_project":"5e37f45c4d82de00178b96ad",
        "createdAt":"2020-02-05T16:07:12.089Z",
        "updatedAt":"2020-02-05T16:07:12.089Z",
        "__v":0
    }))
    .unwrap();
    assert_eq!(entry.err, None);
    assert_eq!(entry.body.as_deref(), Some("\"request caught\""));
    let response: Value = serde_json::from_str(entry.response.as_deref().unwrap()).unwrap();
    assert_eq!(response["statusCode"], 200);
    let written = serde_json::to_value(&entry).unwrap();
    assert_eq!(written["err"], Value::Null, "err is always present");
}

#[test]
fn tutorial_webhook_notification_reads_as_a_delivery() {
    let mut payload = tutorial_webhook_message();
    payload["request"] = json!({
        "_id": "5e2c6b958c9612001716bedf",
        "request_id": "support-group-27df7cbf-3946-4ca4-9b17-dc16114108f10",
        "id_project": "5e2c35c8f0dbc10017bb3aac",
        "status": 200,
        "createdAt": "2020-01-25T16:23:49.394Z"
    });
    let delivery: Delivery = serde_json::from_value(json!({
        "timestamp": 1579969429552i64,
        "payload": payload,
        "hook": {
            "_id":"5e2c6a24f5b11c00175f1705",
            "target":"https://tiledesk.requestcatcher.com/test",
            "event":"message.create",
            "id_project":"5e2c35c8f0dbc10017bb3aac",
            "createdBy":"5e2c357af0dbc10017bb3aa7",
            "createdAt":"2020-01-25T16:17:40.088Z",
            "updatedAt":"2020-01-25T16:17:40.088Z",
            "__v":0
        }
    }))
    .unwrap();
    assert_eq!(delivery.timestamp, 1579969429552);
    assert_eq!(delivery.hook.event, "message.create");
    assert_eq!(delivery.hook.secret, None);
    let message: Message = serde_json::from_value(delivery.payload).unwrap();
    assert_eq!(message.text, "Hi I'm Rosy. How can help you?");
    assert_eq!(message.request.unwrap().status, 200);
}

#[test]
fn events_of_the_events_page_read_and_name_their_webhooks() {
    let body: NewEvent =
        serde_json::from_value(json!({"name": "checkout", "attributes": {"cart": 3}})).unwrap();
    assert_eq!(body.name, "checkout");
    assert_eq!(emit_named(&body.name), "event.emit.checkout");
    assert_eq!(EMIT, "event.emit");
    let nameless: NewEvent = serde_json::from_value(json!({})).unwrap();
    assert_eq!(nameless.name, "");
    let page: EventPage = serde_json::from_value(json!({
        "perPage": 40, "count": 1,
        "events": [{
            "_id": "5e2c6b958c9612001716bede", "name": "checkout", "attributes": {"cart": 3},
            "id_project": "5e2c35c8f0dbc10017bb3aac", "project_user": "5e2c357af0dbc10017bb3aa8",
            "createdBy": "5e2c357af0dbc10017bb3aa7",
            "createdAt": "2020-01-25T16:23:49.394Z", "updatedAt": "2020-01-25T16:23:49.394Z"
        }]
    }))
    .unwrap();
    let event: &Event = &page.events[0];
    assert_eq!(event.attributes["cart"], 3);
    assert_eq!(
        events_topic(&event.id_project, &event.project_user),
        "/5e2c35c8f0dbc10017bb3aac/events/5e2c357af0dbc10017bb3aa8"
    );
}

#[test]
fn team_rating_and_custom_token_shapes() {
    let invite: Invite =
        serde_json::from_value(json!({"email": "agent@example.com", "role": "agent"})).unwrap();
    assert_eq!(invite.role, "agent");
    let rating: Rating = serde_json::from_value(json!({"rating": 5})).unwrap();
    assert_eq!(rating.rating_message, None);
    assert_eq!(
        custom_token_audience("5e2c35c8f0dbc10017bb3aac"),
        "https://tiledesk.com/projects/5e2c35c8f0dbc10017bb3aac"
    );
}

#[test]
fn widgets_answer_with_settings_and_departments_reads_and_round_trips() {
    let answer: WidgetConfig = serde_json::from_value(json!({
        "project": {
            "_id": "5e2c35c8f0dbc10017bb3aac",
            "name": "Demo",
            "widget": {"themeColor": "#ff0000", "calloutTimer": 5},
            "createdBy": "5e2c357af0dbc10017bb3aa7",
            "createdAt": "2020-01-25T12:39:04.939Z",
            "updatedAt": "2020-01-25T12:39:04.939Z"
        },
        "user_available": [{"id": "5e2c357af0dbc10017bb3aa7", "firstname": "demo"}],
        "departments": [{
            "_id": "5e2c35c8f0dbc10017bb3aad",
            "routing": "assigned",
            "default": true,
            "status": 1,
            "name": "Default Department",
            "id_project": "5e2c35c8f0dbc10017bb3aac",
            "createdBy": "5e2c357af0dbc10017bb3aa7",
            "createdAt": "2020-01-25T12:39:04.939Z",
            "updatedAt": "2020-01-25T12:39:04.939Z",
            "__v": 0
        }],
        "ip": "127.0.0.1"
    }))
    .unwrap();
    assert_eq!(answer.project.widget.as_ref().unwrap()["calloutTimer"], 5);
    let department: &Department = &answer.departments[0];
    assert_eq!(department.name, "Default Department");
    assert!(department.default);
    assert_eq!(department.status, 1);
    let written = serde_json::to_value(department).unwrap();
    for key in [
        "_id",
        "id_project",
        "name",
        "default",
        "status",
        "createdBy",
        "createdAt",
        "updatedAt",
    ] {
        assert!(written.get(key).is_some(), "{key} missing from {written}");
    }
    let again: Department = serde_json::from_value(written).unwrap();
    assert_eq!(&again, department);
}

#[test]
fn project_update_and_new_department_bodies_read() {
    let update: ProjectUpdate =
        serde_json::from_value(json!({"widget": {"themeColor": "#ff0000"}})).unwrap();
    assert_eq!(update.name, None);
    assert_eq!(update.widget, Some(json!({"themeColor": "#ff0000"})));
    assert_eq!(
        serde_json::to_value(ProjectUpdate {
            name: Some("Shop".into()),
            ..ProjectUpdate::default()
        })
        .unwrap(),
        json!({"name": "Shop"})
    );
    let body: NewDepartment = serde_json::from_value(json!({"name": "Sales"})).unwrap();
    assert_eq!(body.name, "Sales");
}

#[test]
fn storage_bridge_messages_read_and_write_as_the_loader_sends_them() {
    let open = |v: Value| Envelope::<HostToWidget>::open(v);
    let init = open(
        json!({"tiledesk":1,"type":"init","settings":{},"href":"/","storage":{
        "local":{"widget_sv5_p_recipientId":"support-group-p-1"},"session":{}}}),
    );
    let Some(HostToWidget::Init { storage, .. }) = init else {
        panic!("init reads");
    };
    assert_eq!(
        storage.area(StorageArea::Local)["widget_sv5_p_recipientId"],
        "support-group-p-1"
    );
    assert!(storage.area(StorageArea::Session).is_empty());
    let without = open(json!({"tiledesk":1,"type":"init","settings":{},"href":"/"}));
    assert!(
        matches!(without, Some(HostToWidget::Init { storage, .. }) if storage == HostStorage::default()),
        "an older loader sends no storage"
    );
    assert_eq!(
        open(
            json!({"tiledesk":1,"type":"stored","area":"local","key":"widget_sv5_p_x","value":null})
        ),
        Some(HostToWidget::Stored {
            area: StorageArea::Local,
            key: "widget_sv5_p_x".into(),
            value: None
        })
    );
    assert_eq!(
        open(
            json!({"tiledesk":1,"type":"locked","name":"widget_sv5_tab_t1","fresh":true,"value":"[]"})
        ),
        Some(HostToWidget::Locked {
            name: tab_lock("t1"),
            fresh: true,
            value: Some("[]".into())
        })
    );
    let to_json = |body: WidgetToHost| serde_json::to_value(Envelope::new(body)).unwrap();
    assert_eq!(
        to_json(WidgetToHost::Store {
            area: StorageArea::Session,
            key: "widget_sv5_p_isOpen".into(),
            value: None
        }),
        json!({"tiledesk":1,"type":"store","area":"session","key":"widget_sv5_p_isOpen"})
    );
    assert_eq!(
        to_json(WidgetToHost::Lock {
            name: tab_lock("t1"),
            area: StorageArea::Local,
            key: "widget_sv5_p_outbox_t1".into()
        }),
        json!({"tiledesk":1,"type":"lock","name":"widget_sv5_tab_t1","area":"local","key":"widget_sv5_p_outbox_t1"})
    );
    assert_eq!(
        to_json(WidgetToHost::Unlock {
            name: tab_lock("t1")
        }),
        json!({"tiledesk":1,"type":"unlock","name":"widget_sv5_tab_t1"})
    );
    assert!("widget_sv5_p_outbox".starts_with(STORAGE_PREFIX));
}
