// Baton dashboard: plain JS, no external resources. Polls the node's API every 2 s.
(function () {
  'use strict';
  var KEY = 'baton.token';
  var $ = function (id) { return document.getElementById(id); };

  // A token handed over in the URL is moved to sessionStorage and dropped from the address bar.
  var params = new URLSearchParams(location.search);
  if (params.has('token')) {
    sessionStorage.setItem(KEY, params.get('token'));
    params.delete('token');
    var rest = params.toString();
    history.replaceState(null, '', location.pathname + (rest ? '?' + rest : '') + location.hash);
  }

  function esc(s) {
    return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function pill(state, label) { return '<span class="pill s-' + esc(state) + '">' + esc(label || state) + '</span>'; }
  function when(iso) {
    if (!iso) return '<span class="muted">–</span>';
    var d = new Date(iso), secs = Math.round((d.getTime() - Date.now()) / 1000), a = Math.abs(secs), rel;
    rel = a < 2 ? 'now' : a < 60 ? a + ' s' : a < 3600 ? Math.round(a / 60) + ' min' : a < 172800 ? Math.round(a / 3600) + ' h' : Math.round(a / 86400) + ' d';
    if (rel !== 'now') rel = secs >= 0 ? 'in ' + rel : rel + ' ago';
    var sameDay = d.toDateString() === new Date().toDateString();
    var shown = sameDay ? d.toLocaleTimeString() : d.toLocaleDateString() + ' ' + d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    return '<span title="' + esc(d.toISOString()) + '">' + esc(shown) + ' <span class="muted">(' + rel + ')</span></span>';
  }

  function api(path, method) {
    return fetch(path, { method: method || 'GET', headers: { Authorization: 'Bearer ' + sessionStorage.getItem(KEY) } })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (body) {
          if (r.status === 401) { showLogin('That token was refused.'); throw new Error('unauthorized'); }
          return { status: r.status, body: body };
        });
      });
  }

  function showLogin(message) {
    sessionStorage.removeItem(KEY);
    $('main').hidden = true; $('logout').hidden = true; $('login').hidden = false;
    $('login-error').textContent = message || '';
  }

  $('login').addEventListener('submit', function (e) {
    e.preventDefault();
    sessionStorage.setItem(KEY, $('token').value.trim());
    $('token').value = '';
    start();
  });
  $('logout').addEventListener('click', function () { showLogin(''); });

  function renderNodes(nodes) {
    $('nodes').querySelector('tbody').innerHTML = nodes.map(function (n) {
      return '<tr class="' + (n.alive ? '' : 'problem') + '"><td class="mono">' + esc(n.nodeId) + '</td><td>' +
        pill(n.alive ? 'live' : 'dead', n.alive ? 'live' : 'not live') + '</td><td>' + when(n.lastCheckin) +
        '</td><td>' + esc(n.version || '–') + '</td><td>' + (n.runnableClasses ? n.runnableClasses.length : 0) + '</td></tr>';
    }).join('') || '<tr><td colspan="5" class="placeholder">no members</td></tr>';
  }

  function renderTasks(tasks) {
    $('tasks').querySelector('tbody').innerHTML = tasks.map(function (t) {
      var problem = t.state === 'ERROR' || t.state === 'BLOCKED' || t.stuck;
      var runs = esc(t.type || t.jobClass) + (t.stuck ? '<div class="stuck">no live node can run this</div>' : '');
      var paused = t.state === 'PAUSED' || t.state === 'PAUSED_BLOCKED';
      return '<tr class="' + (problem ? 'problem' : '') + '" data-task="' + esc(t.name) + '"><td class="mono">' + esc(t.name) +
        '</td><td>' + pill(t.state) + '</td><td class="mono">' + esc(t.schedule || '') + '</td><td>' + when(t.nextFireTime) +
        '</td><td>' + when(t.previousFireTime) + '</td><td>' + runs + '</td><td class="mono">' + esc((t.runningOn || []).join(', ') || '–') +
        '</td><td><button data-act="run">Run</button> <button data-act="' + (paused ? 'resume' : 'pause') + '">' +
        (paused ? 'Resume' : 'Pause') + '</button></td></tr>';
    }).join('') || '<tr><td colspan="8" class="placeholder">no tasks yet: PUT /api/tasks/{name}</td></tr>';
  }

  $('tasks').addEventListener('click', function (e) {
    var b = e.target.closest('button'); if (!b) return;
    var name = b.closest('tr').getAttribute('data-task');
    api('/api/tasks/' + encodeURIComponent(name) + '/' + b.getAttribute('data-act'), 'POST').then(refresh);
  });

  function renderAlerts(nodes, tasks) {
    var out = [];
    tasks.forEach(function (t) {
      if (t.state === 'ERROR') out.push('<div class="alert">Task <b>' + esc(t.name) + '</b> is in ERROR. Reset with <code>baton reset-errored</code>.</div>');
      if (t.stuck) out.push('<div class="alert">Task <b>' + esc(t.name) + '</b>: no live node can run <code>' + esc(t.jobClass) + '</code>.</div>');
      if (t.state === 'BLOCKED') out.push('<div class="alert warn">Task <b>' + esc(t.name) + '</b> is BLOCKED: its previous run is still executing.</div>');
    });
    nodes.filter(function (n) { return !n.alive; }).forEach(function (n) {
      out.push('<div class="alert warn">Node <b>' + esc(n.nodeId) + '</b> is not live (last check-in ' + esc(n.lastCheckin) + ').</div>');
    });
    $('alerts').innerHTML = out.join('');
    $('alerts-card').className = 'card wide' + (out.length ? '' : ' none');
  }

  function renderChart(stats) {
    $('chart-node').textContent = stats.nodeId;
    var b = stats.buckets, W = 600, H = 180, L = 30, B = 20, max = 1;
    b.forEach(function (x) { max = Math.max(max, x.succeeded + x.failed); });
    max = Math.ceil(max / 2) * 2; // an even top keeps the middle gridline a whole number
    var bw = (W - L) / b.length, svg = ['<svg viewBox="0 0 ' + W + ' ' + H + '" preserveAspectRatio="none" role="img" aria-label="executions">'];
    [0, 0.5, 1].forEach(function (f) {
      var y = (H - B) - f * (H - B - 10);
      svg.push('<line x1="' + L + '" x2="' + W + '" y1="' + y + '" y2="' + y + '" stroke="#e5e7eb"/>');
      svg.push('<text x="' + (L - 4) + '" y="' + (y + 3) + '" text-anchor="end">' + Math.round(f * max) + '</text>');
    });
    b.forEach(function (x, i) {
      var scale = (H - B - 10) / max, x0 = L + i * bw + 1, hOk = x.succeeded * scale, hBad = x.failed * scale;
      var title = new Date(x.start).toLocaleTimeString() + ': ' + x.succeeded + ' ok, ' + x.failed + ' failed';
      svg.push('<g class="bar" data-count="' + (x.succeeded + x.failed) + '"><title>' + esc(title) + '</title>');
      svg.push('<rect x="' + x0 + '" y="' + (H - B - hOk) + '" width="' + (bw - 2) + '" height="' + hOk + '" fill="#1f9d55" rx="1"/>');
      svg.push('<rect x="' + x0 + '" y="' + (H - B - hOk - hBad) + '" width="' + (bw - 2) + '" height="' + hBad + '" fill="#dc2626" rx="1"/></g>');
      if (i % 6 === 0) svg.push('<text x="' + x0 + '" y="' + (H - 5) + '">' + esc(new Date(x.start).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })) + '</text>');
    });
    svg.push('</svg>');
    $('chart').innerHTML = svg.join('');
  }

  function renderFailures(stats) {
    $('failures').innerHTML = stats.failures.map(function (f) {
      return '<div class="failure"><b class="mono">' + esc(f.task) + '</b> <span class="when">' + when(f.at) + ' on ' + esc(stats.nodeId) +
        '</span><div class="error mono">' + esc(f.error) + '</div></div>';
    }).join('') || '<div class="placeholder">no failures on this node recently</div>';
  }

  // History and locks come from capabilities wired in later: until then their endpoints answer 404.
  function renderOptional(id, res, render) {
    if (res.status === 404) { $(id).innerHTML = '<div class="placeholder">not available on this node yet</div>'; return; }
    if (res.status >= 400) { $(id).innerHTML = '<div class="error">' + esc(res.body.error || ('HTTP ' + res.status)) + '</div>'; return; }
    $(id).innerHTML = render(res.body);
  }
  function renderHistory(body) {
    var rows = body.executions || [];
    return rows.slice(0, 15).map(function (e) {
      return '<div>' + pill(e.outcome === 'success' ? 'WAITING' : 'ERROR', e.outcome) + ' <span class="mono">' + esc(e.task) +
        '</span> on <span class="mono">' + esc(e.nodeId) + '</span> ' + when(e.startedAt) + '</div>';
    }).join('') || '<div class="placeholder">no executions yet</div>';
  }
  function renderLocks(body) {
    var rows = body.locks || [];
    return rows.map(function (l) {
      return '<div><b class="mono">' + esc(l.name) + '</b> held by <span class="mono">' + esc(l.holder) + '</span>, expires ' + when(l.expiresAt) + '</div>';
    }).join('') || '<div class="placeholder">no locks held</div>';
  }

  var timer = null;
  function refresh() {
    return Promise.all([api('/api/health'), api('/api/nodes'), api('/api/tasks'), api('/api/stats'), api('/api/history?limit=15'), api('/api/locks')])
      .then(function (r) {
        var health = r[0].body;
        $('node').textContent = 'node ' + health.nodeId;
        $('status').className = 'pill s-' + (health.status || 'DOWN');
        $('status').textContent = health.status + ' · scheduler ' + health.scheduler;
        var nodes = r[1].body.nodes || [], tasks = r[2].body.tasks || [];
        renderNodes(nodes); renderTasks(tasks); renderAlerts(nodes, tasks);
        if (r[3].status === 200) { renderChart(r[3].body); renderFailures(r[3].body); }
        renderOptional('history', r[4], renderHistory);
        renderOptional('locks', r[5], renderLocks);
        $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
        document.body.setAttribute('data-loaded', 'true');
      })
      .catch(function (e) {
        if (e.message !== 'unauthorized') { $('status').className = 'pill bad'; $('status').textContent = 'node unreachable'; }
      });
  }

  function start() {
    $('login').hidden = true; $('main').hidden = false; $('logout').hidden = false;
    refresh();
    if (!timer) timer = setInterval(function () { if (sessionStorage.getItem(KEY)) refresh(); }, 2000);
  }

  if (sessionStorage.getItem(KEY)) start(); else showLogin('');
})();
