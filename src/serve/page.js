// elmo serve: keeps the diagram live. Every save arrives as a server-sent event and the SVG
// is swapped in place, so the viewer's zoom and scroll survive. Text from the model is only
// ever inserted with textContent; the SVG and the diagnostics' HTML come from elmo, which
// escapes every string from the model.
(() => {
  'use strict';

  const THEMES = ['light', 'dark', 'contrast'];
  // The vocabulary's words come in the page's data (page.rs `vocabulary`), never typed here.
  const VOCAB = JSON.parse(document.getElementById('main').dataset.vocab);
  const STAGES = Object.values(VOCAB.Stage);
  const STAGE_TITLES = VOCAB.stage_titles;
  const PAN_STEP = 80;
  const ZOOM_STEP = 1.25;

  const root = document.documentElement;
  const byId = (id) => document.getElementById(id);
  const viewport = byId('viewport');
  const diagram = byId('diagram');
  const diagnostics = byId('diagnostics');
  const banner = byId('banner');
  const popup = byId('popup');
  const stepper = byId('stepper');
  const stepKey = byId('step-key');
  const help = byId('keys');
  const statusEl = byId('status');
  const titleEl = byId('title');
  const brokenEl = byId('broken');
  const buttons = {
    fit: byId('btn-fit'), step: byId('btn-step'), theme: byId('btn-theme'),
    present: byId('btn-present'), help: byId('btn-help'),
  };
  const params = new URLSearchParams(location.search);

  let theme = THEMES.includes(root.dataset.theme) ? root.dataset.theme : 'light';
  // What the diagram on screen was drawn from: a payload with the same version and theme
  // needs no swap (the page arrives with the diagram already inline).
  let shown = { version: Number(root.dataset.version), theme };
  let details = {};
  let version = Number(root.dataset.version);
  // `auto` means the viewer has not moved the view, so it keeps fitting the screen.
  const view = { x: 0, y: 0, s: 1, auto: true };
  let step = 0; // 0: step mode off; n: the first n stages with nodes are shown.
  let pinned = null; // id of the node whose details stay open
  let panelChoice = null; // null: shown when there are diagnostics; else 'shown' or 'hidden'
  let source = null;
  let online = true;
  let fullscreenByUs = false;

  const svg = () => diagram.querySelector(':scope > svg');

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  // ---- View: pan and zoom are a transform on the wrapper, never on the SVG. ----

  function applyView() {
    diagram.style.transform = `translate(${view.x}px, ${view.y}px) scale(${view.s})`;
  }

  function diagramSize() {
    const s = svg();
    if (!s) return null;
    const box = s.viewBox && s.viewBox.baseVal;
    if (box && box.width > 0 && box.height > 0) return { w: box.width, h: box.height };
    const w = Number(s.getAttribute('width')), h = Number(s.getAttribute('height'));
    return w > 0 && h > 0 ? { w, h } : null;
  }

  // The viewport's size as last reported by the ResizeObserver: reading clientWidth right
  // after swapping the SVG would force a layout inside the redraw.
  let viewportSize = null;

  // In step mode only the stages shown so far are fitted, so each step fills the screen
  // with what it reveals; the step key takes the bottom of the screen.
  function fit() {
    const size = diagramSize();
    const vw = viewportSize ? viewportSize.w : viewport.clientWidth;
    let vh = viewportSize ? viewportSize.h : viewport.clientHeight;
    if (!size || vw === 0 || vh === 0) return;
    const s0 = svg();
    const partial = step && s0 && s0.querySelector('g.band.step-later');
    const region = partial ? stepRegion() : null;
    const r = region || { x: 0, y: 0, w: size.w, h: size.h };
    // In step mode the key and the stepper sit over the bottom of the screen.
    if (step) {
      const top = viewport.getBoundingClientRect().top;
      const cover = stepKey.hidden ? stepper : stepKey;
      if (!cover.hidden) vh = Math.min(vh, cover.getBoundingClientRect().top - top);
    }
    const pad = root.classList.contains('present') ? 8 : 16;
    const s = Math.min((vw - 2 * pad) / r.w, (vh - 2 * pad) / r.h);
    if (!(s > 0) || !Number.isFinite(s)) return;
    view.s = s;
    view.x = (vw - r.w * s) / 2 - r.x * s;
    view.y = (vh - r.h * s) / 2 - r.y * s;
    view.auto = true;
    applyView();
  }

  // From the drawing's top-left corner to the right of the last band shown and the bottom
  // of the lowest box shown, with the drawing's own margin around it.
  function stepRegion() {
    const s = svg();
    if (!s) return null;
    const rects = [...s.querySelectorAll('g.band:not(.step-later) > rect')];
    const boxes = [...s.querySelectorAll('g.node:not(.step-hidden) > rect.box')];
    if (!rects.length || !boxes.length) return null;
    const num = (e, a) => Number(e.getAttribute(a)) || 0;
    const margin = num(rects[0], 'x');
    const right = Math.max(...rects.map((e) => num(e, 'x') + num(e, 'width')));
    const bottom = Math.max(...boxes.map((e) => num(e, 'y') + num(e, 'height')));
    return { x: 0, y: 0, w: right + margin, h: bottom + 2 * margin };
  }

  function zoomAt(factor, cx, cy) {
    const s2 = Math.min(12, Math.max(0.05, view.s * factor));
    view.x = cx - (cx - view.x) * (s2 / view.s);
    view.y = cy - (cy - view.y) * (s2 / view.s);
    view.s = s2;
    view.auto = false;
    applyView();
  }

  function zoomCentre(factor) {
    const vw = viewportSize ? viewportSize.w : viewport.clientWidth;
    const vh = viewportSize ? viewportSize.h : viewport.clientHeight;
    zoomAt(factor, vw / 2, vh / 2);
  }

  function pan(dx, dy) {
    view.x += dx;
    view.y += dy;
    view.auto = false;
    applyView();
  }

  // ---- Applying a payload from the server. ----

  // The popup replaces the boxes' native tooltips, which would otherwise pop up on top of
  // it; their text stays available to screen readers as a label.
  function tidy(s) {
    for (const t of s.querySelectorAll('g.node > title')) {
      t.parentNode.setAttribute('aria-label', t.textContent);
      t.remove();
    }
  }

  // Parsed as HTML, exactly as the diagram inlined in the page was (and three times faster
  // than the XML parser for a large diagram), in an inert document where nothing loads or
  // runs; the renderer has escaped every string from the model.
  function swapSvg(text) {
    const doc = new DOMParser().parseFromString(text, 'text/html');
    const fresh = doc.body.firstElementChild;
    if (!fresh || fresh.nodeName.toLowerCase() !== 'svg') return false;
    const node = document.adoptNode(fresh);
    tidy(node);
    const old = svg();
    if (old) old.replaceWith(node); else diagram.replaceChildren(node);
    return true;
  }

  function apply(p) {
    details = p.details || {};
    if (p.svg && (p.version !== shown.version || p.theme !== shown.theme || !svg())) {
      if (swapSvg(p.svg)) {
        shown = { version: p.version, theme: p.theme };
        applyStep();
        if (view.auto) fit(); else applyView();
        if (pinned && !diagram.querySelector(`g.node[data-id="${CSS.escape(pinned)}"]`)) hidePopup(true);
        markPinned();
      }
    }
    if (p.title) {
      titleEl.textContent = p.title;
      document.title = `${p.title} · elmo`;
    }
    renderDiagnostics(p);
    renderBanner(p);
    renderBroken(p);
    root.toggleAttribute('data-stale', Boolean(p.stale));
    version = p.version;
    renderStatus();
    // Last, so that anyone watching the attribute finds the new diagram already in place.
    if (root.dataset.version !== String(p.version)) root.dataset.version = String(p.version);
  }

  function renderStatus() {
    statusEl.textContent = online ? `live · version ${version}` : 'disconnected · reconnecting…';
    statusEl.classList.toggle('offline', !online);
    root.classList.toggle('offline', !online);
  }

  // The banner, the error card and the diagnostics panel arrive drawn by page.rs, which
  // drew them into the page too; like the diagram they are parsed in an inert document.
  function fragment(html) {
    const doc = new DOMParser().parseFromString(`<body>${html || ''}</body>`, 'text/html');
    return [...doc.body.childNodes].map((n) => document.adoptNode(n));
  }

  function renderBanner(p) {
    const html = (p.panels && p.panels.banner) || '';
    banner.replaceChildren(...fragment(html));
    banner.hidden = html === '';
  }

  // A file broken since the server started has no diagram to keep: its errors take the
  // diagram's place, in large type. Gone with the first good save.
  function renderBroken(p) {
    const none = !p.svg && !svg();
    brokenEl.hidden = !none;
    root.toggleAttribute('data-broken', none);
    brokenEl.replaceChildren(...(none ? fragment(p.panels && p.panels.broken) : []));
  }

  function renderDiagnostics(p) {
    diagnostics.replaceChildren(...fragment(p.panels && p.panels.diagnostics));
    const files = [p.report, ...(p.result_files || [])];
    updatePanel(files.reduce((n, f) => n + ((f && f.diagnostics) || []).length, 0));
  }

  function updatePanel(count) {
    const show = panelChoice ? panelChoice === 'shown' : count > 0;
    const value = show ? 'shown' : 'hidden';
    if (root.dataset.panel !== value) root.dataset.panel = value;
  }

  function togglePanel() {
    panelChoice = root.dataset.panel === 'shown' ? 'hidden' : 'shown';
    updatePanel(0);
  }

  // ---- Node details: hover shows, tap or click pins. ----

  function quantity(v) {
    return v === null || v === undefined ? '?' : String(v);
  }

  function fillPopup(d) {
    const parts = [el('h3', null, d.label), el('p', 'stage', d.stage_title)];
    if (d.description) parts.push(el('p', 'desc', d.description));
    parts.push(el('h4', null, 'Measures'));
    if (d.measures.length) {
      const ul = el('ul');
      for (const m of d.measures) {
        const li = el('li', null, m.label);
        const bits = [];
        if (m.baseline !== null || m.target !== null) {
          bits.push(`${quantity(m.baseline)} → ${quantity(m.target)}${m.unit ? ` ${m.unit}` : ''}`);
        } else if (m.unit) {
          bits.push(m.unit);
        }
        if (m.kind !== VOCAB.MeasureKind.Quantitative) bits.push(m.kind);
        if (m.frequency) bits.push(m.frequency);
        if (bits.length) li.append(' ', el('span', 'figures', `(${bits.join(', ')})`));
        ul.append(li);
      }
      parts.push(ul);
    } else {
      parts.push(el('p', 'none', 'No measures yet'));
    }
    if (d.assumptions.length) {
      parts.push(el('h4', null, 'Assumptions'));
      const ul = el('ul');
      for (const a of d.assumptions) {
        const li = el('li', null, `${a.number}. ${a.text} `);
        li.append(el('span', 'status-word', `(${a.status})`));
        if (a.link) li.append(` on ${a.link}`);
        ul.append(li);
      }
      parts.push(ul);
    }
    popup.replaceChildren(...parts);
  }

  function placePopup(node) {
    const r = node.getBoundingClientRect();
    const p = popup.getBoundingClientRect();
    const margin = 12;
    let x = r.right + margin;
    if (x + p.width > window.innerWidth - margin) x = r.left - margin - p.width;
    if (x < margin) x = Math.max(margin, Math.min(window.innerWidth - p.width - margin, r.left));
    let y = r.top;
    if (y + p.height > window.innerHeight - margin) y = window.innerHeight - margin - p.height;
    popup.style.left = `${Math.max(margin, x)}px`;
    popup.style.top = `${Math.max(margin, y)}px`;
  }

  function showPopup(node, pin) {
    const d = details[node.dataset.id];
    if (!d) return;
    fillPopup(d);
    popup.hidden = false;
    popup.classList.toggle('pinned', pin);
    placePopup(node);
    if (pin) pinned = node.dataset.id;
    markPinned();
  }

  function hidePopup(force) {
    if (pinned && !force) return;
    pinned = null;
    popup.hidden = true;
    popup.classList.remove('pinned');
    markPinned();
  }

  function markPinned() {
    for (const n of diagram.querySelectorAll('g.node.pinned')) n.classList.remove('pinned');
    if (pinned) {
      const n = diagram.querySelector(`g.node[data-id="${CSS.escape(pinned)}"]`);
      if (n) n.classList.add('pinned');
    }
  }

  viewport.addEventListener('pointerover', (e) => {
    const node = e.target.closest && e.target.closest('g.node');
    if (node && !pinned && !drag) showPopup(node, false);
  });
  viewport.addEventListener('pointerout', (e) => {
    const node = e.target.closest && e.target.closest('g.node');
    const into = e.relatedTarget && e.relatedTarget.closest && e.relatedTarget.closest('g.node');
    if (node && node !== into) hidePopup(false);
  });

  // ---- Mouse and touch: drag to pan, wheel to zoom, tap to pin. ----

  let drag = null;
  viewport.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    drag = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y, moved: false };
  });
  viewport.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) > 4) {
      drag.moved = true;
      viewport.setPointerCapture(e.pointerId);
      viewport.classList.add('dragging');
      hidePopup(false);
    }
    if (drag.moved) {
      view.x = drag.vx + dx;
      view.y = drag.vy + dy;
      view.auto = false;
      applyView();
    }
  });
  function endDrag(e, cancelled) {
    if (!drag) return;
    const tapped = !drag.moved && !cancelled;
    drag = null;
    viewport.classList.remove('dragging');
    if (!tapped) return;
    const node = e.target.closest && e.target.closest('g.node');
    if (node && !node.classList.contains('step-hidden')) {
      if (pinned === node.dataset.id) hidePopup(true); else showPopup(node, true);
    } else if (pinned) {
      hidePopup(true);
    }
  }
  viewport.addEventListener('pointerup', (e) => endDrag(e, false));
  viewport.addEventListener('pointercancel', (e) => endDrag(e, true));
  viewport.addEventListener('wheel', (e) => {
    e.preventDefault();
    const r = viewport.getBoundingClientRect();
    const unit = e.deltaMode === 1 ? 0.05 : e.deltaMode === 2 ? 1 : 0.0015;
    zoomAt(Math.exp(-e.deltaY * unit), e.clientX - r.left, e.clientY - r.top);
  }, { passive: false });

  new ResizeObserver((entries) => {
    const box = entries[entries.length - 1].contentRect;
    viewportSize = { w: box.width, h: box.height };
    if (view.auto) fit();
  }).observe(viewport);

  // ---- Step mode: reveal the chain one stage at a time. ----

  function stagesPresent() {
    const s = svg();
    return s ? STAGES.filter((k) => s.querySelector(`g.node.${k}`)) : [];
  }

  function applyStep() {
    const s = svg();
    buttons.step.setAttribute('aria-pressed', String(step > 0));
    if (!s) return;
    const nodes = s.querySelectorAll('g.node');
    const links = s.querySelectorAll('g.link');
    const bands = s.querySelectorAll('g.band');
    if (!step) {
      for (const e of s.querySelectorAll('.step-hidden')) e.classList.remove('step-hidden');
      for (const e of s.querySelectorAll('.step-later')) e.classList.remove('step-later');
      s.classList.remove('stepping');
      stepper.hidden = true;
      stepKey.hidden = true;
      if (view.auto) fit();
      return;
    }
    const stages = stagesPresent();
    if (!stages.length) return;
    step = Math.max(1, Math.min(step, stages.length));
    const visible = new Set(stages.slice(0, step));
    const hidden = new Set();
    for (const n of nodes) {
      const stage = STAGES.find((k) => n.classList.contains(k));
      const hide = !visible.has(stage);
      n.classList.toggle('step-hidden', hide);
      if (hide) hidden.add(n.dataset.id);
    }
    for (const l of links) {
      l.classList.toggle('step-hidden', hidden.has(l.dataset.from) || hidden.has(l.dataset.to));
    }
    for (const m of s.querySelectorAll('g.link-marker')) {
      m.classList.toggle('step-hidden', hidden.has(m.dataset.from) || hidden.has(m.dataset.to));
    }
    for (const b of bands) b.classList.toggle('step-later', !visible.has(b.dataset.stage));
    if (pinned && hidden.has(pinned)) hidePopup(true);
    stepper.textContent = `Step ${step} of ${stages.length}: ${STAGE_TITLES[stages[step - 1]]}   ← →`;
    stepper.hidden = false;
    // The drawing's own key spans every stage; in step mode a key of just the assumptions
    // on screen replaces it, until the last step shows the whole drawing with its own key.
    const whole = step >= stages.length;
    s.classList.toggle('stepping', !whole);
    const entries = [...s.querySelectorAll('g.assumption')].filter((a) => {
      const on = (a.dataset.stages || '').split(' ').filter(Boolean);
      return on.length > 0 && on.every((k) => visible.has(k));
    });
    stepKey.replaceChildren();
    for (const a of entries) {
      const item = el('li', `step-key-item ${a.dataset.status || ''}`);
      const number = a.querySelector('.amark-text');
      item.append(el('span', 'step-key-number', number ? number.textContent : ''));
      const words = [...a.querySelectorAll('text.key-text tspan')].map((t) => t.textContent).join(' ');
      item.append(el('span', 'step-key-text', words));
      stepKey.append(item);
    }
    stepKey.hidden = whole || entries.length === 0;
    if (view.auto) fit();
  }

  function setStep(n) {
    step = n;
    // Each step frames what it shows.
    view.auto = true;
    applyStep();
  }

  // ---- Presentation, theme, help. ----

  function updateUrl() {
    const q = new URLSearchParams(location.search);
    if (theme === 'light') q.delete('theme'); else q.set('theme', theme);
    if (root.classList.contains('present')) q.set('present', ''); else q.delete('present');
    const s = q.toString().replace(/=(?=&|$)/g, '');
    history.replaceState(null, '', s ? `?${s}` : location.pathname);
  }

  function setPresent(on) {
    root.classList.toggle('present', on);
    buttons.present.setAttribute('aria-pressed', String(on));
    if (on && document.fullscreenEnabled && !document.fullscreenElement && root.requestFullscreen) {
      // Browsers allow full screen only after a key press or click; from `?present` alone
      // the page still drops its chrome.
      root.requestFullscreen().then(() => { fullscreenByUs = true; }).catch(() => {});
    } else if (!on && document.fullscreenElement && fullscreenByUs) {
      document.exitFullscreen().catch(() => {});
    }
    updateUrl();
    requestAnimationFrame(fit);
  }

  document.addEventListener('fullscreenchange', () => {
    if (!document.fullscreenElement && fullscreenByUs) {
      fullscreenByUs = false;
      if (root.classList.contains('present')) setPresent(false);
    }
  });

  function setTheme(t) {
    theme = t;
    root.dataset.theme = t;
    updateUrl();
    // The stream's first event carries the diagram drawn in the new theme.
    connect();
  }

  function toggleHelp(show) {
    help.hidden = !(show === undefined ? help.hidden : show);
    buttons.help.setAttribute('aria-pressed', String(!help.hidden));
  }

  buttons.fit.addEventListener('click', fit);
  buttons.step.addEventListener('click', () => setStep(step ? 0 : 1));
  buttons.theme.addEventListener('click', () => setTheme(THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length]));
  buttons.present.addEventListener('click', () => setPresent(!root.classList.contains('present')));
  buttons.help.addEventListener('click', () => toggleHelp());

  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const k = e.key;
    let handled = true;
    if (k === 'p' || k === 'P') setPresent(!root.classList.contains('present'));
    else if (k === 't' || k === 'T') setTheme(THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length]);
    else if (k === 's' || k === 'S') setStep(step ? 0 : 1);
    else if (k === 'd' || k === 'D') togglePanel();
    else if (k === '?' || k === 'h' || k === 'H') toggleHelp();
    else if (k === '+' || k === '=') zoomCentre(ZOOM_STEP);
    else if (k === '-' || k === '_') zoomCentre(1 / ZOOM_STEP);
    else if (k === '0') fit();
    else if (k === 'Escape') {
      if (!help.hidden) toggleHelp(false);
      else if (pinned) hidePopup(true);
      else if (step) setStep(0);
      else handled = false;
    } else if (step && (k === 'ArrowRight' || k === ' ' || k === 'PageDown')) setStep(step + 1);
    else if (step && (k === 'ArrowLeft' || k === 'PageUp')) setStep(Math.max(1, step - 1));
    else if (k === 'ArrowRight') pan(-PAN_STEP, 0);
    else if (k === 'ArrowLeft') pan(PAN_STEP, 0);
    else if (k === 'ArrowDown') pan(0, -PAN_STEP);
    else if (k === 'ArrowUp') pan(0, PAN_STEP);
    else handled = false;
    if (handled) e.preventDefault();
  });

  // ---- The live connection. ----

  function setOnline(on) {
    if (online === on) return;
    online = on;
    renderStatus();
  }

  function connect() {
    if (source) source.close();
    const es = new EventSource(`/events?theme=${encodeURIComponent(theme)}`);
    source = es;
    es.onmessage = (e) => {
      let p;
      try {
        p = JSON.parse(e.data);
      } catch {
        return;
      }
      setOnline(true);
      apply(p);
    };
    es.onopen = () => setOnline(true);
    es.onerror = () => {
      setOnline(false);
      // The browser retries by itself unless the server answered with something other than
      // a stream; then start over after a pause.
      if (es.readyState === EventSource.CLOSED && source === es) setTimeout(() => { if (source === es) connect(); }, 2000);
    };
  }

  if (svg()) tidy(svg());
  updatePanel(diagnostics.querySelectorAll('li').length);
  renderStatus();
  fit();
  if (params.has('present')) setPresent(true);
  if (params.has('step')) setStep(1);
  connect();
})();
