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
    $('main').hidden = true; $('task-page').hidden = true; $('logout').hidden = true; $('login').hidden = false; $('health-banner').hidden = true;
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

  function taskHref(name) { return '#/tasks/' + encodeURIComponent(name); }

  function renderTasks(tasks) {
    $('task-names').innerHTML = tasks.map(function (t) { return '<option value="' + esc(t.name) + '">'; }).join('');
    $('tasks').querySelector('tbody').innerHTML = tasks.map(function (t) {
      var problem = t.state === 'ERROR' || t.state === 'BLOCKED' || t.stuck;
      var runs = esc(t.type || t.jobClass) + (t.lock ? '<div class="muted">under lock <span class="mono">' + esc(t.lock) + '</span></div>' : '') +
        (t.notRunnableReason ? '<div class="stuck">not runnable: ' + esc(t.notRunnableReason) + '</div>'
          : t.stuck ? '<div class="stuck">no live node can run this</div>' : '') +
        (t.maxConcurrent ? '<div class="muted">running <b>' + esc(t.running) + '/' + esc(t.maxConcurrent) + '</b> (limit)</div>' : '') +
        (t.retry ? '<div class="muted">retries: ' + esc(t.retry.maxAttempts) + ' attempts' +
          (t.pendingRetries ? ' · <b>' + esc(t.pendingRetries) + ' pending</b>' : '') + '</div>' : '') +
        (t.pendingRuns ? '<div class="muted"><b>' + esc(t.pendingRuns) + '</b> run' + (t.pendingRuns === 1 ? '' : 's') + ' pending</div>' : '');
      var paused = t.state === 'PAUSED' || t.state === 'PAUSED_BLOCKED';
      return '<tr class="' + (problem ? 'problem' : '') + '" data-task="' + esc(t.name) + '"><td class="mono"><a href="' + taskHref(t.name) + '">' + esc(t.name) + '</a>' +
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
      if (t.notRunnableReason) out.push('<div class="alert">Task <b>' + esc(t.name) + '</b> is not runnable: ' + esc(t.notRunnableReason) + '.</div>');
      else if (t.stuck) out.push('<div class="alert">Task <b>' + esc(t.name) + '</b>: no live node can run <code>' + esc(t.jobClass) + '</code>.</div>');
      if (t.state === 'BLOCKED') out.push('<div class="alert warn">Task <b>' + esc(t.name) + '</b> is BLOCKED: ' +
        (t.maxConcurrent > 1 ? 'its limit of ' + esc(t.maxConcurrent) + ' runs at once is reached.' : 'its previous run is still executing.') + '</div>');
    });
    nodes.filter(function (n) { return !n.alive; }).forEach(function (n) {
      out.push('<div class="alert warn">Node <b>' + esc(n.nodeId) + '</b> is not live (last check-in ' + esc(n.lastCheckin) + ').</div>');
    });
    $('alerts').innerHTML = out.join('');
    $('alerts-card').className = 'card wide' + (out.length ? '' : ' none');
  }

  // One colour per node, stable across refreshes (by order of first appearance, then hashed).
  var PALETTE = ['#2563eb', '#0d9488', '#7c3aed', '#ea580c', '#0891b2', '#65a30d', '#db2777', '#475569'];
  function colour(node) {
    var h = 0; for (var i = 0; i < node.length; i++) h = (h * 31 + node.charCodeAt(i)) >>> 0;
    return PALETTE[h % PALETTE.length];
  }

  // Executions per node over time, from the cluster's history: bars stacked by node, failures red.
  function renderChart(activity) {
    var n = activity.buckets, width = activity.bucketSeconds * 1000, since = new Date(activity.since).getTime();
    var buckets = [], nodes = {}, i;
    for (i = 0; i < n; i++) buckets.push({ start: since + i * width, byNode: {}, failed: 0, total: 0 });
    activity.counts.forEach(function (c) {
      var k = Math.round((new Date(c.bucketStart).getTime() - since) / width);
      if (k < 0 || k >= n) return;
      var b = buckets[k];
      if (c.outcome === 'FAILED' || c.outcome === 'ABANDONED') b.failed += c.count;
      else if (c.outcome === 'SUCCEEDED' || c.outcome === 'RUNNING') b.byNode[c.node] = (b.byNode[c.node] || 0) + c.count;
      else return; // skipped and vetoed firings did not run
      b.total += c.count;
      nodes[c.node] = (nodes[c.node] || 0) + c.count;
    });
    var names = Object.keys(nodes).sort();
    var W = 600, H = 180, L = 30, B = 20, max = 1;
    buckets.forEach(function (x) { max = Math.max(max, x.total); });
    max = Math.ceil(max / 2) * 2; // an even top keeps the middle gridline a whole number
    var bw = (W - L) / n, scale = (H - B - 10) / max;
    var svg = ['<svg viewBox="0 0 ' + W + ' ' + H + '" preserveAspectRatio="none" role="img" aria-label="executions per node">'];
    [0, 0.5, 1].forEach(function (f) {
      var y = (H - B) - f * (H - B - 10);
      svg.push('<line x1="' + L + '" x2="' + W + '" y1="' + y + '" y2="' + y + '" stroke="#e5e7eb"/>');
      svg.push('<text x="' + (L - 4) + '" y="' + (y + 3) + '" text-anchor="end">' + Math.round(f * max) + '</text>');
    });
    buckets.forEach(function (x, i) {
      var x0 = L + i * bw + 1, y = H - B, parts = [];
      svg.push('<g class="bar" data-count="' + x.total + '">');
      names.forEach(function (node) {
        var c = x.byNode[node] || 0; if (!c) return;
        parts.push(node + ' ' + c);
        svg.push('<rect x="' + x0 + '" y="' + (y - c * scale) + '" width="' + (bw - 2) + '" height="' + (c * scale) + '" fill="' + colour(node) + '"/>');
        y -= c * scale;
      });
      if (x.failed) {
        parts.push(x.failed + ' failed');
        svg.push('<rect x="' + x0 + '" y="' + (y - x.failed * scale) + '" width="' + (bw - 2) + '" height="' + (x.failed * scale) + '" fill="#dc2626"/>');
      }
      svg.push('<title>' + esc(new Date(x.start).toLocaleTimeString() + ': ' + (parts.join(', ') || 'nothing ran')) + '</title></g>');
      if (i % 6 === 0) svg.push('<text x="' + x0 + '" y="' + (H - 5) + '">' + esc(new Date(x.start).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })) + '</text>');
    });
    svg.push('</svg>');
    $('chart').innerHTML = svg.join('');
    $('legend').innerHTML = names.map(function (node) {
      return '<span class="sw" style="background:' + colour(node) + '"></span><span class="mono">' + esc(node) + '</span> ' + nodes[node];
    }).join('') + '<span class="sw bad"></span> failed';
  }

  // A failed attempt of a task with retries says what became of it: retried at some time, or a
  // terminal failure an operator can re-run by hand.
  function retryNote(f) {
    var d = f.details || {}, r = d['baton.retry'];
    if (!r) return '';
    var attempt = d['baton.attempt'] ? ' · attempt ' + esc(d['baton.attempt']) : '';
    if (r === 'scheduled') return attempt + ' · retry ' + when(d['baton.retryAt']);
    return attempt + ' · <b>terminal failure</b> (' + esc(r) + ') <button data-retry="' + esc(f.task) + '">Retry</button>';
  }
  function renderFailures(body) {
    $('failures').innerHTML = (body.executions || []).map(function (f) {
      return '<div class="failure"><b class="mono">' + esc(f.task) + '</b> <span class="when">' + when(f.startedAt) + ' on ' + esc(f.nodeId) +
        (f.outcome === 'ABANDONED' ? ' · abandoned: its node died' : '') + retryNote(f) + '</span><div class="error mono">' + esc(f.error || f.outcome) + '</div></div>';
    }).join('') || '<div class="placeholder">no failures recently</div>';
  }
  $('failures').addEventListener('click', function (e) {
    var b = e.target.closest('button[data-retry]'); if (!b) return;
    api('/api/tasks/' + encodeURIComponent(b.getAttribute('data-retry')) + '/retry', 'POST').then(refresh);
  });

  var OUTCOME_STYLE = { SUCCEEDED: 'WAITING', FAILED: 'ERROR', ABANDONED: 'ERROR', RUNNING: 'EXECUTING', VETOED: 'BLOCKED', SKIPPED: 'PAUSED' };
  function renderHistory(body) {
    $('history').innerHTML = (body.executions || []).map(function (e) {
      var extra = e.fencingToken != null ? ' <span class="muted">token ' + esc(e.fencingToken) + '</span>' : '';
      if (e.recovery) extra += ' <span class="muted">recovery</span>';
      return '<div class="exec">' + pill(OUTCOME_STYLE[e.outcome] || 'NONE', e.outcome) + ' <a class="mono" href="' + taskHref(e.task) + '">' + esc(e.task) +
        '</a> on <span class="mono">' + esc(e.nodeId) + '</span> ' + when(e.startedAt) +
        (e.durationMs != null ? ' <span class="muted">' + esc(e.durationMs) + ' ms</span>' : '') + extra + '</div>';
    }).join('') || '<div class="placeholder">no executions yet</div>';
  }

  function renderLocks(body) {
    $('locks').innerHTML = (body.locks || []).map(function (l) {
      return '<div><b class="mono">' + esc(l.name) + '</b> held by <span class="mono">' + esc(l.holder) + '</span> · token ' + esc(l.token) +
        ' · expires ' + when(l.expiresAt) + '</div>';
    }).join('') || '<div class="placeholder">no locks held</div>';
  }

  var FATE = { RERUN: 're-run', RERUN_PENDING: 're-run pending', ABANDONED: 'abandoned, not re-run' };
  function renderDeparted(body) {
    $('departed-window').textContent = body.departedRetentionSeconds ? '(last ' + Math.round(body.departedRetentionSeconds / 3600 * 10) / 10 + ' h)' : '';
    $('departed').innerHTML = (body.departed || []).map(function (d) {
      var how = d.departure === 'LEFT' ? 'left cleanly' : 'declared dead by <span class="mono">' + esc(d.declaredBy) + '</span>';
      var rec = (d.recovered || []).map(function (r) {
        return '<li><a class="mono" href="' + taskHref(r.task) + '">' + esc(r.task) + '</a> (started ' + when(r.startedAt) + '): ' + esc(FATE[r.fate] || r.fate) +
          (r.rerunNode ? ' on <span class="mono">' + esc(r.rerunNode) + '</span> ' + pill(OUTCOME_STYLE[r.rerunOutcome] || 'NONE', r.rerunOutcome) : '') + '</li>';
      }).join('');
      return '<div class="departed" data-node="' + esc(d.nodeId) + '"><b class="mono">' + esc(d.nodeId) + '</b> ' +
        pill(d.departure === 'LEFT' ? 'COMPLETE' : 'ERROR', d.departure === 'LEFT' ? 'left' : 'declared dead') + ' ' + when(d.departedAt) + ' · ' + how +
        (d.host ? ' <span class="muted">(' + esc(d.host) + (d.pid > 0 ? ' pid ' + esc(d.pid) : '') + ')</span>' : '') +
        (d.departure === 'LEFT' ? '' : rec ? '<div class="muted">running when it died:</div><ul>' + rec + '</ul>' : '<div class="muted">nothing was running on it</div>') + '</div>';
    }).join('') || '<div class="placeholder">no node departed recently</div>';
  }

  // History pages: newest first; "Older" follows the API's cursor, "Newer" goes back up the stack.
  function Pager(el, query) {
    this.el = el; this.query = query; this.cursors = [null];
  }
  Pager.prototype.load = function () {
    var self = this, cursor = this.cursors[this.cursors.length - 1];
    return api('/api/history?' + this.query + (cursor ? '&before=' + encodeURIComponent(cursor) : '')).then(function (res) {
      if (res.status >= 400) {
        self.el.innerHTML = '<div class="error">' + esc((res.body.field ? res.body.field + ': ' : '') + (res.body.error || 'HTTP ' + res.status)) + '</div>';
        return;
      }
      var rows = (res.body.executions || []).map(function (e) {
        return '<tr data-id="' + esc(e.id) + '"><td>' + when(e.startedAt) + '</td><td><a class="mono" href="' + taskHref(e.task) + '">' + esc(e.task) + '</a></td><td class="mono">' + esc(e.nodeId) +
          '</td><td>' + pill(OUTCOME_STYLE[e.outcome] || 'NONE', e.outcome) + (e.recovery ? ' <span class="muted">recovery</span>' : '') + '</td><td>' +
          (e.durationMs != null ? esc(e.durationMs) + ' ms' : '–') + '</td><td class="error mono">' + esc(e.error || '') + '</td></tr>';
      }).join('');
      var page = self.cursors.length;
      self.el.innerHTML = (rows ? '<table class="results"><thead><tr><th>Started</th><th>Task</th><th>Node</th><th>Outcome</th><th>Duration</th><th>Error</th></tr></thead><tbody>' + rows + '</tbody></table>'
        : '<div class="placeholder">no matching executions</div>') +
        '<div class="pager"><button data-page="newer"' + (page > 1 ? '' : ' disabled') + '>&larr; Newer</button><span class="muted">page ' + page + '</span>' +
        '<button data-page="older"' + (res.body.nextCursor ? ' data-cursor="' + esc(res.body.nextCursor) + '"' : ' disabled') + '>Older &rarr;</button></div>';
    });
  };
  Pager.prototype.click = function (e) {
    var b = e.target.closest('button[data-page]'); if (!b || b.disabled) return;
    if (b.getAttribute('data-page') === 'older') this.cursors.push(b.getAttribute('data-cursor'));
    else if (this.cursors.length > 1) this.cursors.pop();
    this.load();
  };

  var search = null;
  $('search').addEventListener('submit', function (e) {
    e.preventDefault();
    var f = e.target, q = ['limit=' + encodeURIComponent(f.limit.value)];
    ['task', 'outcome', 'node'].forEach(function (k) { if (f[k].value.trim()) q.push(k + '=' + encodeURIComponent(f[k].value.trim())); });
    ['since', 'until'].forEach(function (k) {
      // datetime-local is in the browser's zone; the API takes an instant.
      if (f[k].value) q.push(k + '=' + encodeURIComponent(new Date(f[k].value).toISOString()));
    });
    search = new Pager($('search-results'), q.join('&'));
    search.load();
  });
  $('search-results').addEventListener('click', function (e) { if (search) search.click(e); });

  // The task page (#/tasks/<name>): its facts refresh with the rest; its history pages on demand.
  var taskPage = null;
  function currentTask() {
    var m = /^#\/tasks\/(.+)$/.exec(location.hash);
    return m ? decodeURIComponent(m[1]) : null;
  }
  function list(items, empty) { return items.length ? items.join('<br>') : '<span class="muted">' + esc(empty) + '</span>'; }
  function renderTaskPage(name, res, next) {
    if (res.status === 404) {
      $('task-title').textContent = name;
      $('task-facts').querySelector('tbody').innerHTML = '<tr><td class="error">' + esc(res.body.error || 'no such task') + '</td></tr>';
      return;
    }
    if (res.status >= 400) { $('task-facts').querySelector('tbody').innerHTML = '<tr><td class="error">' + esc(res.body.error) + '</td></tr>'; return; }
    var t = res.body, rs = t.retryState || {}, c = t.concurrency || {};
    $('task-title').innerHTML = 'Task <span class="mono">' + esc(t.name) + '</span> ' + pill(t.state);
    var facts = [
      ['Schedule', '<span class="mono">' + esc(t.schedule || '–') + '</span>' + (t.paused ? ' ' + pill('PAUSED', 'paused') : '')],
      ['Runs', esc(t.type || t.jobClass) + (t.lock ? ' <span class="muted">under lock <span class="mono">' + esc(t.lock) + '</span></span>' : '') +
        (t.notRunnableReason ? '<div class="stuck">not runnable: ' + esc(t.notRunnableReason) + '</div>' : t.stuck ? '<div class="stuck">no live node can run this</div>' : '')],
      ['Next fire times', list((next.body.nextFireTimes || []).map(when), 'none')],
      ['Running now', list((t.runningNow || []).map(function (r) {
        return 'on <span class="mono">' + esc(r.nodeId) + '</span> since ' + when(r.since) + (r.recovery ? ' <span class="muted">(recovery)</span>' : '');
      }), 'nowhere')],
      ['Retries', rs.policy ? esc(rs.policy.maxAttempts) + ' attempts · ' + esc(rs.pending) + ' pending' +
        (rs.pendingAt && rs.pendingAt.length ? ': ' + rs.pendingAt.map(when).join(', ') : '') : '<span class="muted">no retry policy</span>'],
      ['Concurrency', c.maxConcurrent ? 'running <b>' + esc(c.running) + '/' + esc(c.maxConcurrent) + '</b>' + (c.atLimit ? ' ' + pill('BLOCKED', 'limit reached') : '')
        : esc(c.running) + ' running, no limit' + (c.nonConcurrent ? ' · never overlapping' : '')],
      ['Recoverable', t.recoverable ? 'yes: re-run if its node dies mid-run' : 'no']
    ];
    $('task-facts').querySelector('tbody').innerHTML = facts.map(function (f) { return '<tr><th>' + f[0] + '</th><td>' + f[1] + '</td></tr>'; }).join('');
  }
  function refreshTask(name) {
    var path = '/api/tasks/' + encodeURIComponent(name);
    return Promise.all([api(path), api(path + '/next?count=5')]).then(function (r) {
      renderTaskPage(name, r[0], r[1]);
      if (taskPage && taskPage.cursors.length === 1) taskPage.load();
      $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
      document.body.setAttribute('data-task-loaded', name);
    });
  }
  $('task-actions').addEventListener('click', function (e) {
    var b = e.target.closest('button[data-act]'); var name = currentTask(); if (!b || !name) return;
    var act = b.getAttribute('data-act');
    api('/api/tasks/' + encodeURIComponent(name) + '/' + act, 'POST').then(function (res) {
      $('task-action-result').textContent = res.status < 300 ? act + ': done' : act + ': ' + (res.body.error || 'HTTP ' + res.status);
      return refreshTask(name);
    });
  });
  $('task-history').addEventListener('click', function (e) { if (taskPage) taskPage.click(e); });

  function route() {
    var name = currentTask();
    if (!sessionStorage.getItem(KEY)) return;
    $('main').hidden = !!name; $('task-page').hidden = !name;
    document.body.removeAttribute('data-task-loaded');
    if (name) {
      $('task-title').textContent = name; $('task-action-result').textContent = '';
      $('task-facts').querySelector('tbody').innerHTML = '';
      taskPage = new Pager($('task-history'), 'limit=20&task=' + encodeURIComponent(name));
    } else {
      taskPage = null;
    }
    refresh();
  }
  window.addEventListener('hashchange', route);

  function orError(id, res, render) {
    if (res.status >= 400) { $(id).innerHTML = '<div class="error">' + esc(res.body.error || ('HTTP ' + res.status)) + '</div>'; return; }
    render(res.body);
  }

  // Health is fetched on its own and shown as soon as it answers: it never waits for the database,
  // while the other calls may hang as long as the node's database does.
  function renderHealth(res) {
    var health = res.body || {};
    $('node').textContent = 'node ' + (health.nodeId || '?');
    $('status').className = 'pill s-' + (health.status || 'DOWN');
    $('status').textContent = (health.status || 'HTTP ' + res.status) + ' · scheduler ' + (health.scheduler || '?');
    var banner = $('health-banner');
    if (health.status === 'UP') { banner.hidden = true; banner.innerHTML = ''; return; }
    banner.innerHTML = 'This node is DOWN: <span class="reason">' + esc(health.reason || health.error || ('HTTP ' + res.status)) + '</span>';
    banner.hidden = false;
  }
  function healthUnreachable() {
    $('status').className = 'pill bad'; $('status').textContent = 'node unreachable';
    $('health-banner').innerHTML = 'This node is DOWN: <span class="reason">its admin API does not answer</span>';
    $('health-banner').hidden = false;
  }

  var timer = null;
  function refresh() {
    var health = api('/api/health').then(renderHealth).catch(function (e) {
      if (e.message !== 'unauthorized') healthUnreachable();
      throw e;
    });
    var task = currentTask();
    if (task) return Promise.all([health, refreshTask(task)]).catch(function (e) {
      if (e.message !== 'unauthorized') healthUnreachable();
    });
    return Promise.all([health, api('/api/nodes'), api('/api/tasks'), api('/api/history/activity'),
      api('/api/history?outcome=FAILED,ABANDONED&limit=6'), api('/api/history?limit=15'), api('/api/locks')])
      .then(function (r) {
        var nodes = r[1].body.nodes || [], tasks = r[2].body.tasks || [];
        renderNodes(nodes); renderTasks(tasks); renderAlerts(nodes, tasks);
        orError('chart', r[3], renderChart);
        orError('failures', r[4], renderFailures);
        orError('history', r[5], renderHistory);
        orError('locks', r[6], renderLocks);
        orError('departed', r[1], renderDeparted);
        $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
        document.body.setAttribute('data-loaded', 'true');
      })
      .catch(function (e) {
        if (e.message !== 'unauthorized') healthUnreachable();
      });
  }

  function start() {
    $('login').hidden = true; $('logout').hidden = false;
    route();
    if (!timer) timer = setInterval(function () { if (sessionStorage.getItem(KEY)) refresh(); }, 2000);
  }

  if (sessionStorage.getItem(KEY)) start(); else showLogin('');
})();
