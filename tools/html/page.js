/* page.js: the interactive parts of heaptag's run page (tools/html/).
 * Plain ES5-level JavaScript with no libraries, so the page works from disk
 * in any current browser.  The selection lives in the address bar
 * (#type=NAME&weight=live), so a view can be bookmarked or sent.
 * This file is pasted inside a script element: it must never contain the
 * characters of a closing script tag. */
(function () {
	'use strict';
	var MAX_LEAK_ROWS = 100, ROW_H = 17, MIN_W = 0.35;
	function $(id) { return document.getElementById(id); }
	function data(id) { var e = $(id); return e ? JSON.parse(e.textContent) : null; }
	var TL = data('ht-timeline'), FG = data('ht-flame');
	var state = { type: '', weight: 'peak', zoom: 0, search: '' };
	var WEIGHTS = { peak: 2, live: 3, allocated: 4 };
	var WEIGHT_TEXT = { peak: 'live bytes at the peak', live: 'bytes live at exit',
		allocated: 'bytes allocated over the run' };

	function human(b) {
		var u = ['KiB', 'MiB', 'GiB', 'TiB'], i = -1;
		if (Math.abs(b) < 1024) return Math.round(b * 10) / 10 + ' B';
		while (Math.abs(b) >= 1024 && i < 3) { b /= 1024; i++; }
		return b.toFixed(1) + ' ' + u[i];
	}
	function esc(s) {
		return String(s).replace(/[&<>"']/g, function (c) {
			return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
		});
	}
	function pct(a, b) { return b > 0 ? (100 * a / b).toFixed(1) + '%' : '-'; }
	function each(list, f) { Array.prototype.forEach.call(list, f); }

	/* The selection in the address bar. */
	function readHash() {
		/* `heaptag report --type NAME` opens on NAME. */
		state.type = document.body.getAttribute('data-default-type') || '';
		state.weight = 'peak';
		location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
			var i = kv.indexOf('=');
			if (i < 0) return;
			var k = kv.slice(0, i), v = decodeURIComponent(kv.slice(i + 1));
			if (k === 'type') state.type = v;
			if (k === 'weight' && WEIGHTS[v]) state.weight = v;
		});
		var known = false;
		each($('type-select').options, function (o) { if (o.value === state.type) known = true; });
		if (!known) state.type = '';
	}
	function writeHash() {
		var parts = [];
		if (state.type) parts.push('type=' + encodeURIComponent(state.type));
		if (state.weight !== 'peak') parts.push('weight=' + state.weight);
		var h = parts.length ? '#' + parts.join('&') : '';
		if (location.hash === h || (!h && !location.hash)) return;
		try {
			history.replaceState(null, '', h || location.pathname + location.search);
		} catch (e) {
			location.hash = h;
		}
	}

	function select(type) {
		state.type = type;
		state.zoom = 0;
		apply();
	}

	/* ---- the heap over time ---- */
	function timelineInit() {
		var svg = $('tl'), hover = $('tl-hover');
		if (!svg || !TL) return;
		hover.addEventListener('mousemove', function (e) {
			var box = svg.getBoundingClientRect();
			var x = (e.clientX - box.left) * svg.viewBox.baseVal.width / box.width;
			var best = 0;
			for (var i = 1; i < TL.px.length; i++)
				if (Math.abs(TL.px[i] - x) < Math.abs(TL.px[best] - x)) best = i;
			showSample(best);
		});
		hover.addEventListener('mouseleave', function () {
			$('tl-cursor').setAttribute('visibility', 'hidden');
		});
		showSample(+$('tl-peak').getAttribute('data-sample'));
	}
	function showSample(i) {
		var c = $('tl-cursor');
		c.setAttribute('x1', TL.px[i]);
		c.setAttribute('x2', TL.px[i]);
		c.setAttribute('visibility', 'visible');
		var when = TL.unit === 'ms' ? TL.t[i] + ' ms' : human(TL.t[i]) + ' allocated';
		var html = '<span>sample ' + (i + 1) + ' of ' + TL.px.length + ', at ' + when +
			': <b>' + human(TL.live[i]) + '</b> live</span>';
		var best = -1;
		for (var k = 0; k < TL.d.length; k++)
			if (best < 0 || Math.abs(TL.d[k][0] - i) < Math.abs(TL.d[best][0] - i)) best = k;
		if (best >= 0) {
			var row = TL.d[best], at = row[0];
			html += at === i ? '<br>' : '<br><span class="dim">by type at sample ' + (at + 1) + ':</span>';
			var order = [];
			for (var s = 0; s < TL.series.length; s++)
				if (row[s + 1] > 0) order.push(s);
			order.sort(function (a, b) { return row[b + 1] - row[a + 1]; });
			order.forEach(function (s) {
				var on = state.type && TL.series[s] === state.type;
				html += '<span><span class="sw" style="background:' + TL.colours[s] + '"></span>' +
					(on ? '<b>' : '') + esc(TL.series[s]) + ' ' + human(row[s + 1]) + (on ? '</b>' : '') +
					'</span> ';
			});
		}
		$('tl-tip').innerHTML = html;
	}
	function timelineApply() {
		var svg = $('tl');
		if (!svg) return;
		var any = false;
		each(svg.querySelectorAll('.area'), function (p) {
			var on = !!state.type && p.getAttribute('data-type') === state.type;
			p.classList.toggle('on', on);
			any = any || on;
		});
		if (state.type && !any && TL && TL.series.length) {
			/* A type outside the top ones is part of "other types". */
			var other = svg.querySelector('.area[data-series="' + (TL.series.length - 2) + '"]');
			if (other) other.classList.add('on');
		}
		svg.classList.toggle('sel', !!state.type && svg.querySelectorAll('.area.on').length > 0);
	}

	/* ---- the types table ---- */
	function tableInit() {
		var table = $('types-table');
		each(table.tHead.rows[0].cells, function (th, col) {
			th.addEventListener('click', function () {
				var desc = !th.classList.contains('desc');
				each(table.tHead.rows[0].cells, function (h) { h.classList.remove('asc', 'desc'); });
				th.classList.add(desc ? 'desc' : 'asc');
				var rows = Array.prototype.slice.call(table.tBodies[0].rows);
				rows.sort(function (a, b) {
					var x = a.cells[col].getAttribute('data-v'), y = b.cells[col].getAttribute('data-v');
					var r = col === 0 ? a.getAttribute('data-type').localeCompare(b.getAttribute('data-type'))
						: parseFloat(x) - parseFloat(y);
					return desc ? -r : r;
				});
				rows.forEach(function (r) { table.tBodies[0].appendChild(r); });
			});
		});
		each(table.tBodies[0].rows, function (tr) {
			tr.addEventListener('click', function () {
				var t = tr.getAttribute('data-type');
				select(t === state.type ? '' : t);
			});
		});
		each(document.querySelectorAll('#tl-legend .pick'), function (s) {
			s.addEventListener('click', function () { select(s.getAttribute('data-type')); });
		});
		$('type-select').addEventListener('change', function (e) { select(e.target.value); });
	}

	/* ---- the flame graph ---- */
	var kids = null, val = null;
	function flameInit() {
		if (!FG) return;
		kids = FG.parent.map(function () { return []; });
		for (var i = 1; i < FG.parent.length; i++) kids[FG.parent[i]].push(i);
		each(document.querySelectorAll('input[name=w]'), function (r) {
			r.addEventListener('change', function () {
				state.weight = r.value;
				state.zoom = 0;
				apply();
			});
		});
		$('fg-search').addEventListener('input', function (e) {
			state.search = e.target.value;
			flameSearch();
		});
		$('fg-reset').addEventListener('click', function () { state.zoom = 0; flameRender(); });
		$('fg').addEventListener('click', function (e) {
			var g = e.target.closest ? e.target.closest('g[data-n]') : null;
			if (!g) return;
			var n = +g.getAttribute('data-n');
			/* The top bar zooms out one level, any other zooms in. */
			state.zoom = n === state.zoom && n !== 0 ? FG.parent[n] : n;
			flameRender();
		});
		$('fg').addEventListener('mouseover', function (e) {
			var g = e.target.closest ? e.target.closest('g[data-n]') : null;
			if (!g) return;
			var n = +g.getAttribute('data-n');
			$('fg-tip').textContent = FG.names[FG.name[n]] + ': ' + human(val[n]) + ' (' +
				pct(val[n], val[0]) + ' of the total' + (n ? ', ' + pct(val[n], val[FG.parent[n]]) +
				' of its caller' : '') + ')';
		});
		var note = $('fg-note');
		if (FG.shown < FG.nsites)
			note.textContent = 'Drawn: the ' + FG.shown + ' largest of ' + FG.nsites + ' call sites. ' +
				'The other ' + (FG.nsites - FG.shown) + ' are merged per type into the block ' +
				'"[smaller call sites]" (' + pct(FG.aggregated[0], FG.total[0]) +
				' of the bytes at the peak, ' + pct(FG.aggregated[2], FG.total[2]) +
				' of those allocated); every total stays exact.';
		else
			note.textContent = 'All ' + FG.nsites + ' call sites are drawn.';
		note.textContent += ' "[no stack]": bytes of blocks without a recorded call stack.';
	}
	function flameCompute() {
		var n = FG.parent.length, w = WEIGHTS[state.weight], s = FG.sites, ti = -1;
		val = new Float64Array(n);
		if (state.type) ti = FG.types.indexOf(state.type);
		for (var i = 0; i < s.length; i += 5)
			if (!state.type || s[i] === ti) val[s[i + 1]] += s[i + w];
		/* Parents come before their children in the node list. */
		for (var k = n - 1; k > 0; k--) val[FG.parent[k]] += val[k];
	}
	function colour(name) {
		if (name.charAt(0) === '[') return '#c5ccd3';
		var h = 0;
		for (var i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
		return 'hsl(' + (8 + h % 42) + ',' + (62 + (h >> 8) % 20) + '%,' + (58 + (h >> 16) % 12) + '%)';
	}
	function flameRender() {
		var box = $('fg'), W = Math.max(box.clientWidth || 0, 600), z = state.zoom;
		var total = val[0], out = [], maxDepth = 0;
		$('fg-title').innerHTML = 'Call sites of <b>' + esc(state.type || 'all types') + '</b>, weighted by ' +
			WEIGHT_TEXT[state.weight] + ': <b id="fg-total" data-bytes="' + total + '">' + human(total) +
			'</b>' + (z ? '; zoomed in on <b>' + esc(FG.names[FG.name[z]]) + '</b> (' + human(val[z]) +
			', click its bar to zoom out)' : '') + '.';
		if (!(val[z] > 0)) {
			box.innerHTML = '<p class="note" id="fg-empty">No bytes to show for this type and weight.</p>';
			return;
		}
		var scale = W / val[z], stack = [[z, 0, 0]];
		while (stack.length) {
			var it = stack.pop(), n = it[0], x = it[1], d = it[2], w = val[n] * scale;
			var name = n ? FG.names[FG.name[n]] : (state.type || 'all types');
			if (d > maxDepth) maxDepth = d;
			out.push('<g data-n="' + n + '"><rect' + (n === 0 ? ' id="fg-root"' : '') + ' x="' + x.toFixed(2) +
				'" y="' + d * ROW_H + '" width="' + w.toFixed(2) + '" height="' + (ROW_H - 1) +
				'" data-bytes="' + val[n] + '" fill="' + colour(n ? name : '[') + '"><title>' + esc(name) +
				' ' + human(val[n]) + '</title></rect>');
			if (w > 28) {
				var chars = Math.floor((w - 6) / 6.4);
				var label = name.length > chars ? name.slice(0, Math.max(chars - 1, 1)) + '\u2026' : name;
				out.push('<text x="' + (x + 3).toFixed(1) + '" y="' + (d * ROW_H + 12) + '">' + esc(label) + '</text>');
			}
			out.push('</g>');
			var ch = kids[n].filter(function (c) { return val[c] * scale >= MIN_W; });
			ch.sort(function (a, b) { return val[b] - val[a]; });
			/* Pushed in reverse so that the largest is laid out first, leftmost. */
			var cx = x, pos = [];
			ch.forEach(function (c) { pos.push(cx); cx += val[c] * scale; });
			for (var j = ch.length - 1; j >= 0; j--) stack.push([ch[j], pos[j], d + 1]);
		}
		box.innerHTML = '<svg id="fg-svg" width="' + W + '" height="' + (maxDepth + 1) * ROW_H +
			'" viewBox="0 0 ' + W + ' ' + (maxDepth + 1) * ROW_H + '" data-nodes="' + (out.length) +
			'">' + out.join('') + '</svg>';
		flameSearch();
	}
	function flameSearch() {
		var box = $('fg'), q = state.search.toLowerCase(), matched = 0;
		if (!val) return;
		var hit = {};
		each(box.querySelectorAll('g[data-n]'), function (g) {
			var n = +g.getAttribute('data-n');
			var on = !!q && n !== 0 && FG.names[FG.name[n]].toLowerCase().indexOf(q) >= 0;
			g.classList.toggle('hit', on);
		});
		if (!q) { $('fg-match').textContent = ''; return; }
		/* Bytes under matching frames, each counted once (not again under a
		 * matching caller). */
		for (var n = 1; n < FG.parent.length; n++) {
			var m = FG.names[FG.name[n]].toLowerCase().indexOf(q) >= 0;
			hit[n] = m || hit[FG.parent[n]];
			if (m && !hit[FG.parent[n]]) matched += val[n];
		}
		$('fg-match').textContent = 'matched: ' + human(matched) + ' (' + pct(matched, val[0]) + ')';
	}
	function flameApply() {
		if (!FG) return;
		each(document.querySelectorAll('input[name=w]'), function (r) { r.checked = r.value === state.weight; });
		flameCompute();
		flameRender();
	}

	/* ---- leaks and histograms ---- */
	function leaksApply() {
		var table = $('leaks-table'), shown = 0;
		if (!table) return;
		each(table.tBodies[0].rows, function (tr) {
			var on = (!state.type || tr.getAttribute('data-type') === state.type) && shown < MAX_LEAK_ROWS;
			tr.hidden = !on;
			if (on) shown++;
		});
		var none = $('leaks-none');
		if (none) none.hidden = shown > 0;
	}
	function histApply() {
		var found = false;
		each(document.querySelectorAll('.hist'), function (h) {
			var on = h.getAttribute('data-type') === state.type;
			h.hidden = !on;
			found = found || on;
		});
		if (!found) {
			document.querySelector('.hist[data-type=""]').hidden = false;
			if ($('hist-more')) $('hist-more').hidden = false;
		} else if ($('hist-more')) {
			$('hist-more').hidden = true;
		}
	}

	function apply() {
		$('type-select').value = state.type;
		each($('types-table').tBodies[0].rows, function (tr) {
			tr.classList.toggle('on', tr.getAttribute('data-type') === state.type);
		});
		timelineApply();
		flameApply();
		leaksApply();
		histApply();
		writeHash();
	}

	readHash();
	timelineInit();
	tableInit();
	flameInit();
	apply();
	window.addEventListener('hashchange', function () { readHash(); state.zoom = 0; apply(); });
	/* For tests and the curious: when the page was ready, in ms since the
	 * navigation started (parsing included). */
	document.body.setAttribute('data-render-ms', Math.round(performance.now()));
	document.body.setAttribute('data-ready', '1');
})();
