//! Tiledesk wire types shared by the widget, the loader bridge and the `tiledesk-local` server.
//!
//! Every type here mirrors the JSON the Tiledesk REST API, its WebSocket and webhooks put on the wire,
//! so the widget can talk to Tiledesk itself and the local server cannot drift from it.

pub mod attachment;
pub mod auth;
pub mod bridge;
pub mod error;
pub mod event;
pub mod label;
pub mod lead;
pub mod message;
pub mod preview;
pub mod project;
pub mod realtime;
pub mod request;
pub mod team;
pub mod urls;
pub mod webhook;

pub use auth::{AnonymousSignin, AuthResponse, Signin, Signup, User};
pub use error::ErrorBody;
pub use event::{Event, EventPage, NewEvent};
pub use label::{LabelEntry, Labels, NewLabels};
pub use lead::{Lead, LeadPage, LeadUpdate};
pub use message::{
    Message, MessageStatus, NewMessage, StatusUpdate, StatusUpdated, CLIENT_ID_ATTRIBUTE,
    PRIVATE_SUBTYPE,
};
pub use project::{
    AvailableAgent, BotRule, Department, DepartmentUpdate, IsOpen, NewDepartment, NewProject,
    Project, ProjectUpdate, Routing, RuleAction, RuleMessage, RuleWhen, WaitingTime, WidgetConfig,
};
pub use realtime::{Frame, Publication, PublishMethod, Typing, TypingPayload};
pub use request::{
    Assignment, DepartmentRoute, NewParticipant, Rating, Request, RequestPage, RequestPatch,
    RequestStatus, Tag,
};
pub use team::{
    Availability, Invite, ProjectKeys, ProjectMembership, ProjectUser, ProjectUserUpdate,
    TeamMember,
};
pub use webhook::{Delivery, DeliveryLog, NewSubscription, Subscription};
