/* Tiledesk widget loader: puts the chat widget in an iframe on the host page and bridges
   the window.Tiledesk API to it over postMessage (see protocol/src/bridge.rs). */
(function () {
  'use strict';
  var w = window, d = document;
  if (w.Tiledesk && w.Tiledesk.loaded) return;
  var script = d.currentScript || d.getElementById('tiledesk-jssdk');
  if (!script || !script.src) return;
  var base = script.src.slice(0, script.src.lastIndexOf('/') + 1);
  var widgetOrigin = new URL(base).origin;
  var queued = (w.Tiledesk && w.Tiledesk.q) || [];
  var listeners = {};
  var pending = [];
  var ready = false;
  var mode = 'pending';
  var frame = null;

  function clone(value) {
    try {
      return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
    } catch (err) {
      return undefined;
    }
  }

  function length(value) {
    if (typeof value === 'number' && value >= 0) return value + 'px';
    return typeof value === 'string' && /^\d+(\.\d+)?(px|em|rem|vw|vh|%)$/.test(value) ? value : '20px';
  }

  function applyLayout() {
    if (!frame) return;
    var s = w.tiledeskSettings || {};
    var mx = length(s.marginX), my = length(s.marginY);
    var side = s.align === 'left' ? 'left' : 'right';
    var css = 'position:fixed;border:0;margin:0;padding:0;z-index:2147483000;' +
      'background:transparent;color-scheme:normal;max-width:100%;max-height:100%;';
    if (mode === 'hidden') {
      css += 'display:none;';
    } else if (mode === 'open' && w.innerWidth < 600) {
      css += 'inset:0;width:100%;height:100%;';
    } else {
      css += 'bottom:' + my + ';' + side + ':' + mx + ';';
      css += mode === 'open'
        ? 'width:376px;height:min(640px,calc(100% - ' + my + ' - ' + my + '));'
        : 'width:60px;height:60px;';
      if (mode === 'pending') css += 'visibility:hidden;';
    }
    frame.style.cssText = css;
  }

  function post(msg) {
    msg.tiledesk = 1;
    try {
      frame.contentWindow.postMessage(msg, widgetOrigin);
    } catch (err) {
      console.error('Tiledesk:', err);
    }
  }

  function on(name, fn) {
    if (typeof fn === 'function') (listeners[name] = listeners[name] || []).push(fn);
  }

  function off(name, fn) {
    var list = listeners[name] || [];
    var i = list.indexOf(fn);
    if (i >= 0) list.splice(i, 1);
  }

  function emit(name, detail) {
    (listeners[name] || []).slice().forEach(function (fn) {
      try {
        fn(new CustomEvent(name, { detail: detail }));
      } catch (err) {
        if (w.reportError) w.reportError(err); else console.error(err);
      }
    });
  }

  function Tiledesk(name, arg) {
    if (typeof name !== 'string') return;
    if (name.slice(0, 2) === 'on' && typeof arg === 'function') return on(name, arg);
    var msg = { type: 'call', method: name };
    if (arg !== undefined) msg.arg = clone(arg);
    if (ready) post(msg); else pending.push(msg);
  }
  Tiledesk.loaded = true;

  var api = { on: on, off: off };
  ['open', 'close', 'show', 'hide'].forEach(function (name) {
    api[name] = function (arg) { Tiledesk(name, arg); };
  });
  w.Tiledesk = Tiledesk;
  w.tiledesk = api;

  w.addEventListener('message', function (e) {
    var m = e.data;
    if (!frame || e.source !== frame.contentWindow || e.origin !== widgetOrigin || !m || m.tiledesk !== 1) return;
    if (m.type === 'ready') {
      post({ type: 'init', settings: clone(w.tiledeskSettings) || {}, href: location.href });
      ready = true;
      pending.splice(0).forEach(post);
    } else if (m.type === 'layout' && /^(hidden|closed|open)$/.test(m.mode)) {
      mode = m.mode;
      applyLayout();
    } else if (m.type === 'event' && typeof m.name === 'string') {
      emit(m.name, m.detail);
    }
  });
  w.addEventListener('resize', applyLayout);

  function mount() {
    var box = d.createElement('div');
    box.id = 'tiledesk-container';
    frame = d.createElement('iframe');
    frame.id = 'tiledeskiframe';
    frame.title = 'Tiledesk chat';
    applyLayout();
    frame.src = base + 'index.html#host=' + encodeURIComponent(location.origin);
    box.appendChild(frame);
    d.body.appendChild(box);
  }
  if (d.body) mount(); else d.addEventListener('DOMContentLoaded', mount);

  queued.forEach(function (args) { Tiledesk.apply(null, args); });
})();
