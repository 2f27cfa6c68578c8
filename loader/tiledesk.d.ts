// Types for the Tiledesk widget's JavaScript API as this drop-in replacement provides it:
// `window.tiledeskSettings`, `window.Tiledesk('name', arg)`, `window.tiledesk.name(arg)` and the
// events' `detail` payloads. Reference it with `/// <reference path="tiledesk.d.ts" />` or copy it
// into your project; it declares globals only.

/** A CSS length such as `"20px"`, `"1.5rem"` or `"5vw"` (a plain number means pixels). */
type TiledeskLength = string | number;

/** A label in one language, or by language code with an optional `default`. */
type TiledeskLabel = string | { [lang: string]: string };

/** One field of the pre-chat form. */
interface TiledeskPreChatField {
  /** The attribute name; `userFullname` and `userEmail` also become the visitor's name and email. */
  name: string;
  /** @default "text" */
  type?: 'text' | 'textarea' | 'checkbox' | 'static';
  label?: TiledeskLabel;
  errorLabel?: TiledeskLabel;
  /** A checkbox that is mandatory must be ticked. */
  mandatory?: boolean;
  /** A `"/pattern/flags"` string the value must match. */
  regex?: string;
  value?: string | boolean;
  /** Rows of a `textarea`. */
  rows?: number;
}

/** `window.tiledeskSettings`; also readable from `tiledesk_<key>` URL parameters and the project's remote widget config. */
interface TiledeskSettings {
  /** The Tiledesk project id (required). */
  projectid: string;
  /** The API base URL. @default apiUrl of widget-config.json next to index.html, else "https://api.tiledesk.com/v3/" */
  apiUrl?: string;
  /** Where the visitor's session is remembered. @default "local" */
  persistence?: 'local' | 'session' | 'none';
  /** Department every new conversation is routed to. */
  departmentID?: string;
  /** Attributes sent with every message. */
  customAttributes?: Record<string, unknown>;
  /** Keep one conversation per visitor. @default false */
  singleConversation?: boolean;
  /** Start a new conversation at every open. @default false */
  restartConversation?: boolean;
  /** Start with the panel open. @default false */
  open?: boolean;
  /** Same as `open`. @default false */
  isOpen?: boolean;
  /** Start hidden until `show()`. @default false */
  startHidden?: boolean;
  /** The open panel fills the whole viewport. @default false */
  fullscreenMode?: boolean;
  /** Show the widget on viewports at least 600 px wide. @default true */
  displayOnDesktop?: boolean;
  /** Show the widget on viewports under 600 px wide. @default true */
  displayOnMobile?: boolean;
  /** Page side of the launcher and panel. @default "right" */
  align?: 'right' | 'left';
  /** Horizontal distance from the page edge. @default "20px" */
  marginX?: TiledeskLength;
  /** Vertical distance from the page bottom. @default "20px" */
  marginY?: TiledeskLength;
  /** `marginX` under 600 px. @default "20px" */
  mobileMarginX?: TiledeskLength;
  /** `marginY` under 600 px. @default "20px" */
  mobileMarginY?: TiledeskLength;
  /** @default "60px" */
  launcherWidth?: TiledeskLength;
  /** @default "60px" */
  launcherHeight?: TiledeskLength;
  /** Image URL (http(s) or data:image) for the launcher button. */
  baloonImage?: string;
  /** Seconds before the callout shows; -1 never. @default -1 */
  calloutTimer?: number;
  calloutTitle?: string;
  calloutMsg?: string;
  /** Panel header title. */
  widgetTitle?: string;
  welcomeTitle?: string;
  welcomeMsg?: string;
  /** Logo URL in the panel header. */
  logoChat?: string;
  /** @default false */
  hideHeaderCloseButton?: boolean;
  /** @default "#2a6ac1" */
  themeColor?: string;
  /** @default "#ffffff" */
  themeForegroundColor?: string;
  bubbleSentBackground?: string;
  bubbleReceivedBackground?: string;
  fontSize?: string;
  fontFamily?: string;
  /** Interface language code. @default the browser language */
  lang?: string;
  /** Ask for name and email (or `preChatFormJson`) before the first message. @default false */
  preChatForm?: boolean;
  /** The pre-chat form's fields. @default userFullname and userEmail */
  preChatFormJson?: TiledeskPreChatField[];
  /** Privacy-policy text with a checkbox in the pre-chat form. */
  privacyField?: string;
  /** @default true */
  soundEnabled?: boolean;
  /** @default true */
  showAttachmentFooterButton?: boolean;
  /** @default true */
  showEmojiFooterButton?: boolean;
  userFullname?: string;
  userEmail?: string;
  [key: string]: unknown;
}

/** The signed-in visitor. */
interface TiledeskUser {
  _id: string;
  firstname?: string;
  lastname?: string;
  fullname?: string;
  email?: string;
  [key: string]: unknown;
}

/** A chat message as the Tiledesk widget hands it to listeners (its `MessageModel`), with the REST fields beside it. */
interface TiledeskMessage {
  uid: string;
  sender: string;
  sender_fullname: string;
  recipient: string;
  recipient_fullname: string;
  text: string;
  type: string;
  /** Milliseconds since the Unix epoch. */
  timestamp: number;
  /** 100 sent, 150 delivered, 200 received, 300 seen. */
  status: number;
  attributes: Record<string, unknown>;
  metadata: Record<string, unknown> | null;
  channel_type: string;
  /** Whether the visitor wrote it. */
  isSender: boolean;
  _id?: string;
  senderFullname?: string;
  createdAt?: string;
  [key: string]: unknown;
}

/** A message about to be sent, as the Tiledesk widget drafts it: listeners of `onBeforeMessageSend` may change `attributes`. */
interface TiledeskOutgoingMessage {
  text: string;
  type: string;
  attributes: Record<string, unknown>;
  metadata: Record<string, unknown> | null;
  senderFullname: string;
  /** The conversation (also as `recipient`). */
  conversationWith: string;
  recipient: string;
  recipientFullname: string;
  projectid: string;
  channelType: string;
}

interface TiledeskSettingsDetail {
  /** The settings in force after every source was applied. */
  default_settings: TiledeskSettings;
}

interface TiledeskInitDetail extends TiledeskSettingsDetail {
  global: {
    projectid: string;
    isOpen: boolean;
    isLogged: boolean;
    senderId: string | null;
    recipientId: string | null;
    attributes: Record<string, unknown>;
    lang: string;
    [key: string]: unknown;
  };
  appConfigs: { apiUrl: string | null; [key: string]: unknown };
}

interface TiledeskDepartment {
  _id: string;
  name: string;
  [key: string]: unknown;
}

/** Every event and its `detail`. */
interface TiledeskEventMap {
  onLoadParams: TiledeskSettingsDetail;
  onBeforeInit: TiledeskInitDetail;
  onInit: TiledeskInitDetail;
  onAuthStateChanged: TiledeskInitDetail & { event: 'online' | 'offline'; isLogged: boolean; user_id: string | null; user?: TiledeskUser };
  /** A visitor signed in (anonymously or with a custom token); Tiledesk's widget names it without firing it. */
  onLoggedIn: TiledeskInitDetail & { user: TiledeskUser };
  onOpen: TiledeskSettingsDetail;
  onClose: TiledeskSettingsDetail;
  onOpenEyeCatcher: TiledeskSettingsDetail;
  onClosedEyeCatcher: TiledeskSettingsDetail;
  onNewConversation: TiledeskInitDetail & { newConvId: string };
  /** The visitor dismissed the preview of the newest message shown above the closed launcher. */
  onCloseMessagePreview: Record<string, never>;
  /** The composer of a new conversation shows. */
  onNewConversationComponentInit: TiledeskInitDetail;
  onBeforeMessageSend: { message: TiledeskOutgoingMessage };
  onAfterMessageSend: { message: TiledeskMessage };
  onMessageCreated: { message: TiledeskMessage };
  onConversationUpdated: {
    /** The Tiledesk widget's `ConversationModel`. */
    conversation: {
      uid: string;
      recipient: string;
      recipient_fullname: string;
      conversation_with: string;
      conversation_with_fullname: string;
      last_message_text: string;
      text: string;
      sender: string;
      sender_fullname: string;
      status: number;
      /** Milliseconds since the Unix epoch. */
      timestamp: number;
      type: string;
      is_new: boolean;
      archived: boolean;
      attributes: Record<string, unknown>;
      channel_type: string;
      [key: string]: unknown;
    };
  };
  /** Listeners may change `departments` (remove, reorder, rename) before the chooser shows. */
  onBeforeDepartmentsFormRender: { departments: TiledeskDepartment[] };
}

type TiledeskEventName = keyof TiledeskEventMap;
type TiledeskListener<K extends TiledeskEventName> = (event: CustomEvent<TiledeskEventMap[K]>) => void;

/** A message for `sendMessage` / `sendSupportMessage`. */
interface TiledeskSendMessage {
  text?: string;
  /** Same as `text` (Tiledesk's `sendSupportMessage` name). */
  message?: string;
  /** @default "text" */
  type?: string;
  metadata?: Record<string, unknown>;
  attributes?: Record<string, unknown>;
}

/** Every method, with its argument and result. */
interface TiledeskMethods {
  show(): void;
  hide(): void;
  open(): void;
  close(): void;
  /** Removes the iframe, listeners and globals; running the snippet again starts afresh. */
  dispose(): void;
  showCallout(): void;
  /** Signs in as a new anonymous visitor. Rejects on failure or after 10 s without an answer. */
  signInAnonymous(): Promise<TiledeskUser>;
  /** Signs in with a JWT signed with the project's key. Rejects on failure or after 10 s. */
  signInWithCustomToken(jwt: string): Promise<TiledeskUser>;
  /** Signs the visitor out; resolves to whether someone was signed in. */
  logout(): Promise<boolean>;
  /** Forgets everything the widget keeps for the project. */
  clearStorage(): Promise<boolean>;
  /** Starts the widget again as on a new page, keeping the visitor and their conversation. */
  restart(): void;
  /** Signs the visitor out, forgets what the widget kept, and starts again with the current `window.tiledeskSettings`. */
  reInit(): void;
  sendMessage(message: TiledeskSendMessage | string): void;
  sendSupportMessage(message: TiledeskSendMessage | string): void;
  startConversation(text?: string): void;
  openConversationById(requestId: string): void;
  setParameter(parameter: { key: keyof TiledeskSettings & string; value: unknown }): void;
  setAttributeParameter(parameter: { key: string; value: unknown }): void;
  setPreChatForm(enabled: boolean): void;
  setPreChatFormJson(form: TiledeskPreChatField[]): void;
  /** The pre-chat form in force, synchronously (undefined until the widget has started). */
  getPreChatFormJson(): TiledeskPreChatField[] | undefined;
  setPrivacyPolicy(): void;
}

type TiledeskMethodName = keyof TiledeskMethods;

/** `window.Tiledesk`: the snippet's function, before and after the loader arrives. */
interface TiledeskFunction {
  <K extends TiledeskEventName>(event: K, listener: TiledeskListener<K>): void;
  <K extends TiledeskMethodName>(method: K, ...arg: Parameters<TiledeskMethods[K]>): ReturnType<TiledeskMethods[K]>;
  /** Calls queued by the snippet before the loader arrived. */
  q?: IArguments[];
  /** Set by the loader once it has taken over. */
  loaded?: boolean;
}

/** `window.tiledesk`: every method, plus `on` / `off` for listeners. */
interface TiledeskApi extends TiledeskMethods {
  on<K extends TiledeskEventName>(event: K, listener: TiledeskListener<K>): void;
  off<K extends TiledeskEventName>(event: K, listener: TiledeskListener<K>): void;
}

/** Called by the loader once `window.tiledesk` is defined, as the Tiledesk loader does. */
declare var tileDeskAsyncInit: (() => void) | undefined;
/** `window.tiledeskSettings`, read by the loader when the widget starts and by `reInit`. */
declare var tiledeskSettings: TiledeskSettings | undefined;
/** `window.Tiledesk` (undefined after `dispose()` until the snippet runs again). */
declare var Tiledesk: TiledeskFunction;
/** `window.tiledesk` (undefined until the loader arrives and after `dispose()`). */
declare var tiledesk: TiledeskApi;
