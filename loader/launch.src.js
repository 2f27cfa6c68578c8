/* Tiledesk widget loader: the chat in an iframe, window.Tiledesk bridged to it over postMessage
   (protocol/src/bridge.rs; API typed in loader/tiledesk.d.ts). Hand-tight: budget 2.5 KB gzip. */
(() => {
  'use strict';
  const w = window, d = document, T = w.Tiledesk;
  if (T && T.loaded) return;
  const script = d.currentScript || d.getElementById('tiledesk-jssdk');
  if (!script || !script.src) return;
  const base = script.src.replace(/[^/]*$/, ''), origin = new URL(base).origin;
  const METHODS = ('show hide open close showCallout signInAnonymous signInWithCustomToken logout clearStorage restart ' +
    'reInit sendMessage sendSupportMessage startConversation openConversationById setParameter setAttributeParameter ' +
    'setPreChatForm setPreChatFormJson getPreChatFormJson setPrivacyPolicy').split(' ');
  let listeners = {}, waiting = {}, pending = [], id = 0, ready, mode = '', geo = {}, box, frame, held = {}, failed, props = {}, title;

  const warn = (text) => console.warn('Tiledesk: ' + text), report = (err) => (w.reportError || console.error)(err);
  const clone = (v) => { try { return v === undefined ? v : JSON.parse(JSON.stringify(v)); } catch (e) { warn('argument is not JSON'); } };
  const post = (msg) => { msg.tiledesk = 1; if (frame) frame.contentWindow.postMessage(msg, origin); };

  // The widget's values live in this page's storage under its own keys (widget_sv5_…): a
  // cross-site iframe's storage is blocked or partitioned. Where storage fails, the widget keeps
  // them in memory for the page's life.
  const P = 'widget_sv5_', own = (k) => typeof k == 'string' && k.startsWith(P);
  const fail = () => { failed || warn('no storage: the chat lasts for this page'); failed = 1; };
  const area = (a) => {
    try { return /^(local|session)$/.test(a) && w[a + 'Storage']; } catch (e) { fail(); }
  };
  const snapshot = () => {
    const o = {};
    for (const a of ['local', 'session']) {
      const s = area(a), v = o[a] = {};
      for (let i = 0, k; s && i < s.length; i++) if (own(k = s.key(i))) v[k] = s.getItem(k);
    }
    return o;
  };
  // This tab's lock, held while it lives: another tab that gets it knows this one is gone (and takes
  // over the messages it could not deliver).
  const tab = Math.random().toString(36).slice(2), locks = navigator.locks;
  const hold = (name, granted) => locks ? locks.request(name, () => new Promise((done) => { held[name] = done; granted(); })) : granted();
  hold(P + 'tab_' + tab, () => {});
  // Other tabs' changes reach the widget.
  const onStorage = (e) => own(e.key) && e.storageArea == area('local') && post({ type: 'stored', area: 'local', key: e.key, value: e.newValue });

  // Inline !important over `all: initial`: host CSS cannot restyle the iframe, and the CSSOM
  // (unlike a style attribute) works under a host CSP without 'unsafe-inline' styles.
  const css = (el, props) => { for (const k in props) el.style.setProperty(k, props[k], 'important'); };

  // Places the iframe for the widget's layout mode and geometry (Geometry in bridge.rs).
  const layout = () => {
    if (!frame) return;
    const small = innerWidth < 600, g = geo, m = small ? 'mobileMargin' : 'margin';
    const mx = g[m + 'X'] || '20px', my = g[m + 'Y'] || '20px', lw = g.launcherWidth || '60px', lh = g.launcherHeight || '60px';
    // Tiledesk's `top` size covers the page (the widget centres its panel over a dimmed page).
    const open = mode == 'open', full = open && (small || g.fullscreen || g.size == 'top'), left = g.align == 'left',
      floating = open && !full;
    // The open panel's box as the widget sizes it (Tiledesk's min and max).
    const size = open ? [g.panelWidth || '400px', g.panelHeight || '100%']
      : mode == 'callout' ? [`max(300px,${lw})`, `calc(${lh} + 130px)`] : [lw, lh];
    css(frame, {
      display: mode == 'hidden' || g[small ? 'displayOnMobile' : 'displayOnDesktop'] === false ? 'none' : 'block',
      visibility: mode ? 'visible' : 'hidden',
      top: full ? 0 : 'auto',
      bottom: full ? 0 : my,
      left: full ? 0 : left ? mx : 'auto',
      right: full ? 0 : left ? 'auto' : mx,
      width: full ? '100%' : size[0],
      height: full ? '100%' : size[1],
      // Rounded, with a soft shadow, as Tiledesk's.
      'border-radius': floating ? '16px' : 0,
      'box-shadow': floating ? '0 8px 36px #0003' : 'none',
    });
  };

  const settle = (n, error, value) => {
    const p = waiting[n];
    if (!p) return;
    delete waiting[n];
    clearTimeout(p.t);
    error ? p.no(Error(`Tiledesk ${p.name}: ${error}`)) : p.ok(value);
  };

  const send = (msg) => {
    const p = waiting[msg.id];
    if (p) p.t = setTimeout(() => settle(msg.id, 'no answer in 10 s'), 1e4);
    post(msg);
  };

  // The widget keeps its chat module unloaded until someone listens (or calls): tell it.
  const on = (name, fn) => typeof fn != 'function' ? warn(name + ' needs a function')
    : void ((listeners[name] = listeners[name] || []).push(fn), ready && post({ type: 'listen' }));
  const off = (name, fn) => { listeners[name] = (listeners[name] || []).filter((f) => f !== fn); };

  function Tiledesk(name, arg) {
    if (/^on[A-Z]/.test(name)) return on(name, arg);
    if (name == 'dispose') return dispose();
    // Synchronous, as in Tiledesk: the widget keeps the loader told.
    if (name == 'getPreChatFormJson') return clone(props.preChatFormJson);
    if (!METHODS.includes(name)) return name in api ? api[name] : warn(`unknown method ${name}`);
    const msg = { type: 'call', id: ++id, method: name };
    if (name == 'reInit') arg = w.tiledeskSettings || {};
    if (arg !== undefined) msg.arg = clone(arg);
    const result = /^(signIn|logout|clearS)/.test(name) ? new Promise((ok, no) => { waiting[id] = { name, ok, no }; }) : undefined;
    ready ? send(msg) : pending.push(msg);
    return result;
  }
  Tiledesk.loaded = true;

  const onMessage = (e) => {
    const m = e.data;
    if (!frame || e.source !== frame.contentWindow || e.origin !== origin || !m || m.tiledesk !== 1) return;
    if (m.type == 'ready') {
      post({ type: 'init', settings: clone(w.tiledeskSettings) || {}, href: location.href, listening: Object.keys(listeners).length > 0, storage: snapshot(), tab });
      ready = 1;
      pending.splice(0).forEach(send);
    } else if (m.type == 'layout') {
      mode = m.mode;
      geo = m.geometry || geo;
      layout();
    } else if (m.type == 'event') {
      // Listeners share one detail: onBeforeMessageSend ones may change detail.message.attributes.
      for (const fn of (listeners[m.name] || []).slice()) {
        try { fn(new CustomEvent(m.name, { detail: m.detail })); } catch (err) { report(err); }
      }
      if (m.id > 0) post({ type: 'eventReply', id: m.id, detail: clone(m.detail) });
    } else if (m.type == 'result') {
      settle(m.id, !m.ok && (m.error || 'failed'), m.value);
    } else if (m.type == 'dispose') {
      dispose();
    } else if (m.type == 'unread') {
      // The tab's title counts what came while it was hidden, as Tiledesk's: `(2) Shop`.
      if (title == null) title = d.title;
      d.title = (m.count ? `(${m.count}) ` : '') + title;
      if (!m.count) title = null;
    } else if (m.type == 'props') {
      props = m;
    } else if (m.type == 'store' && own(m.key)) {
      try { const s = area(m.area); m.value == null ? s.removeItem(m.key) : s.setItem(m.key, m.value); } catch (e) { fail(); }
    } else if (m.type == 'lock' && own(m.name) && own(m.key)) {
      // `fresh`: what storage holds now; once storage failed, the widget's copy is the only one.
      hold(m.name, () => { const s = area(m.area), fresh = !!s && !failed; post({ type: 'locked', name: m.name, fresh, value: fresh ? s.getItem(m.key) : null }); });
    } else if (m.type == 'unlock' && held[m.name]) {
      held[m.name]();
      delete held[m.name];
    }
  };

  // An element with an id, unstyled: `all: initial` (host CSS restyles none of them).
  const make = (tag, name) => { const el = d.createElement(tag); el.id = 'tiledesk' + name; css(el, { all: 'initial' }); return el; };
  const mount = () => {
    // #tiledesk-container > #tiledeskdiv > #tiledeskiframe, as Tiledesk's: the ids host scripts look for.
    box = make('div', '-container');
    const div = make('div', 'div');
    frame = make('iframe', 'iframe');
    frame.title = 'Tiledesk chat';
    // The widget's own origin may record a voice message (showAudioRecorderFooterButton).
    frame.allow = 'microphone';
    css(frame, { position: 'fixed', 'z-index': 2147483000, 'max-width': '100%', 'max-height': '100%' });
    layout();
    frame.src = base + 'index.html#host=' + encodeURIComponent(location.origin);
    div.append(frame);
    box.append(div);
    d.body.append(box);
  };

  // Removes everything the loader added, so that running the snippet again starts afresh.
  const events = [['message', onMessage], ['resize', layout], ['storage', onStorage]];
  const dispose = () => {
    for (const [t, f] of events) removeEventListener(t, f);
    for (const k in held) held[k]();
    d.removeEventListener('DOMContentLoaded', mount);
    // The snippet's script too (#tiledesk-jssdk), so that running the snippet again loads it anew.
    for (const el of [box, script]) if (el) el.remove();
    for (const n in waiting) settle(n, 'disposed');
    box = frame = null;
    listeners = {};
    held = {};
    pending = [];
    delete w.Tiledesk;
    delete w.tiledesk;
  };

  const api = { on, off, dispose };
  for (const name of METHODS) api[name] = (arg) => Tiledesk(name, arg);
  w.Tiledesk = Tiledesk;
  w.tiledesk = api;
  try { w.tileDeskAsyncInit && w.tileDeskAsyncInit(); } catch (err) { report(err); }
  for (const [t, f] of events) addEventListener(t, f);
  d.body ? mount() : d.addEventListener('DOMContentLoaded', mount);
  for (const args of (T && T.q) || []) Tiledesk(...args);
})();
