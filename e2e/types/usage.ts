// Type-checked by tests/types.test.mjs against loader/tiledesk.d.ts (tsc --strict --noEmit); never run.
/// <reference path="../../loader/tiledesk.d.ts" />

window.tiledeskSettings = { projectid: 'p1', align: 'left', marginX: '30px', persistence: 'session', preChatFormJson: [{ name: 'userEmail', mandatory: true }] };

const texts: string[] = [];
tiledesk.on('onMessageCreated', (e) => texts.push(e.detail.message.text));
window.tiledesk.on('onBeforeMessageSend', (e) => { e.detail.message.attributes.plan = 'gold'; });
window.Tiledesk('onInit', (e) => console.log(e.detail.default_settings.projectid, e.detail.global.isOpen));
Tiledesk('onAuthStateChanged', (e) => console.log(e.detail.isLogged, e.detail.user_id, e.detail.event === 'online'));
Tiledesk('onConversationUpdated', (e) => console.log(e.detail.conversation.last_message_text));
Tiledesk('onNewConversation', (e) => console.log(e.detail.newConvId.length, e.detail.global.recipientId));
tiledesk.on('onMessageCreated', (e) => console.log(e.detail.message.uid, e.detail.message.timestamp + 1, e.detail.message.isSender));
tiledesk.on('onLoggedIn', (e) => console.log(e.detail.user._id));
tiledesk.on('onNewConversationComponentInit', (e) => console.log(e.detail.global.projectid));
window.tileDeskAsyncInit = () => console.log('ready');
Tiledesk('onBeforeDepartmentsFormRender', (e) => console.log(e.detail.departments.map((d) => d.name)));
for (const name of ['onLoadParams', 'onBeforeInit', 'onOpen', 'onClose', 'onOpenEyeCatcher', 'onClosedEyeCatcher', 'onAfterMessageSend'] as const) {
  tiledesk.on(name, (e) => console.log(e.type, e.detail));
}
const listener = (e: CustomEvent<TiledeskEventMap['onOpen']>) => console.log(e.detail.default_settings.widgetTitle);
tiledesk.on('onOpen', listener);
tiledesk.off('onOpen', listener);

async function everyMethod(jwt: string): Promise<void> {
  tiledesk.show(); tiledesk.hide(); tiledesk.open(); tiledesk.close(); tiledesk.showCallout();
  const user: TiledeskUser = await tiledesk.signInAnonymous();
  const same: TiledeskUser = await Tiledesk('signInWithCustomToken', jwt);
  console.log(user._id, same._id);
  const wasSignedIn: boolean = await tiledesk.logout();
  const cleared: boolean = await Tiledesk('clearStorage');
  console.log(wasSignedIn, cleared);
  tiledesk.restart(); tiledesk.reInit();
  tiledesk.sendMessage({ text: 'hi', attributes: { a: 1 } });
  tiledesk.sendSupportMessage({ message: 'hi', type: 'text', metadata: {} });
  tiledesk.startConversation('hello');
  tiledesk.openConversationById('support-group-p1-abc');
  tiledesk.setParameter({ key: 'themeColor', value: '#000000' });
  tiledesk.setAttributeParameter({ key: 'plan', value: 'gold' });
  tiledesk.setPreChatForm(true);
  tiledesk.setPreChatFormJson([{ name: 'userFullname', label: { en: 'Name', default: 'Name' } }]);
  const form: TiledeskPreChatField[] | undefined = Tiledesk('getPreChatFormJson');
  console.log(form?.length);
  tiledesk.setPrivacyPolicy();
  Tiledesk('open');
  tiledesk.dispose();
}
void everyMethod;

// @ts-expect-error: the detail of onMessageCreated has no `conversation`
tiledesk.on('onMessageCreated', (e) => e.detail.conversation);
// @ts-expect-error: signInWithCustomToken needs a token
tiledesk.signInWithCustomToken();
// @ts-expect-error: setPreChatForm takes a boolean
Tiledesk('setPreChatForm', 'yes');
// @ts-expect-error: not a method
tiledesk.explode();
// @ts-expect-error: persistence is local, session or none
window.tiledeskSettings = { projectid: 'p', persistence: 'cookie' };
