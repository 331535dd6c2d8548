import ConvScopeCore
import ConvScopeReport

/// The report page's scripts, plain JavaScript with no libraries.
enum HTMLScript {
  /// Runs first, in the head: every uncaught error or rejection is written into `#errors`,
  /// so a headless browser's DOM dump shows it.
  static let errorTrap = """
    window.reportErrors = [];
    function reportError(text) {
      window.reportErrors.push(text);
      var box = document.getElementById('errors');
      if (box) { box.textContent = window.reportErrors.join('\\n'); box.hidden = false; }
    }
    window.onerror = function (message, source, line, column) { reportError(message + ' (line ' + line + ':' + column + ')'); };
    window.addEventListener('unhandledrejection', function (event) { reportError('unhandled rejection: ' + event.reason); });

    """

  /// Sorting, filtering and grouping the layer table; the log-scale toggle; the self-check.
  static let main = """
    (function () {
      'use strict';
      var table = document.getElementById('layers');
      var body = table.tBodies[0];
      var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
      var rows = Array.prototype.slice.call(body.querySelectorAll('tr.layer'));
      var state = { column: -1, descending: true, filter: '', depth: 0, open: {} };

      function human(v) {
        var units = ['', ' K', ' M', ' G', ' T', ' P'], i = 0;
        while (Math.abs(v) >= 1000 && i < units.length - 1) { v /= 1000; i++; }
        return i === 0 ? String(Math.round(v)) : v.toFixed(2) + units[i];
      }
      function bytes(v) {
        var units = [' B', ' KiB', ' MiB', ' GiB', ' TiB'], i = 0;
        while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
        return i === 0 ? Math.round(v) + ' B' : v.toFixed(1) + units[i];
      }
      function format(v, unit) {
        if (unit === 'bytes') { return bytes(v); }
        if (unit === 'percent') { return (v * 100).toFixed(1) + '%'; }
        return human(v);
      }
      function key(row, column) {
        var cell = row.cells[column];
        if (heads[column].getAttribute('data-type') === 'num') { return Number(cell.getAttribute('data-v')); }
        return (cell.getAttribute('data-v') || cell.textContent).toLowerCase();
      }
      function order(a, b) {
        if (state.column < 0) { return 0; }
        var x = key(a, state.column), y = key(b, state.column);
        var result = x < y ? -1 : (x > y ? 1 : 0);
        return state.descending ? -result : result;
      }
      function sorted(list) {
        var indexed = list.map(function (row, i) { return [row, i]; });
        indexed.sort(function (a, b) { return order(a[0], b[0]) || a[1] - b[1]; });
        return indexed.map(function (pair) { return pair[0]; });
      }
      function groupRow(name, members) {
        var row = document.createElement('tr');
        row.className = 'group';
        row.setAttribute('data-group', name);
        heads.forEach(function (head, column) {
          var cell = document.createElement('td');
          if (column === 1) {
            cell.textContent = (state.open[name] ? '▾ ' : '▸ ') + name + ' (' + members.length + ')';
          } else if (head.hasAttribute('data-sum')) {
            var sum = members.reduce(function (total, r) { return total + Number(r.cells[column].getAttribute('data-v')); }, 0);
            cell.className = 'num';
            cell.setAttribute('data-v', String(sum));
            cell.textContent = format(sum, head.getAttribute('data-unit'));
          }
          row.appendChild(cell);
        });
        row.addEventListener('click', function () { state.open[name] = !state.open[name]; render(); });
        return row;
      }
      function render() {
        Array.prototype.slice.call(body.querySelectorAll('tr.group')).forEach(function (r) { r.remove(); });
        var shown = rows.filter(function (r) { return !state.filter || r.getAttribute('data-search').indexOf(state.filter) >= 0; });
        rows.forEach(function (r) { r.hidden = true; });
        if (!state.depth) {
          sorted(shown).forEach(function (r) { r.hidden = false; body.appendChild(r); });
        } else {
          var groups = [], byName = {};
          shown.forEach(function (r) {
            var name = r.getAttribute('data-path').split('.').slice(0, state.depth).join('.');
            if (!byName[name]) { byName[name] = []; groups.push(name); }
            byName[name].push(r);
          });
          var headers = groups.map(function (name) { return groupRow(name, byName[name]); });
          sorted(headers).forEach(function (header) {
            var name = header.getAttribute('data-group');
            body.appendChild(header);
            sorted(byName[name]).forEach(function (r) { r.hidden = !state.open[name]; body.appendChild(r); });
          });
        }
        document.getElementById('shown').textContent = shown.length + ' of ' + rows.length + ' layers';
        heads.forEach(function (head, column) {
          head.classList.toggle('sorted-desc', column === state.column && state.descending);
          head.classList.toggle('sorted-asc', column === state.column && !state.descending);
        });
      }
      heads.forEach(function (head, column) {
        head.addEventListener('click', function () {
          if (state.column === column) { state.descending = !state.descending; }
          else { state.column = column; state.descending = head.getAttribute('data-type') === 'num' && column > 0; }
          render();
        });
      });
      document.getElementById('filter').addEventListener('input', function (event) {
        state.filter = event.target.value.trim().toLowerCase();
        render();
      });
      var depth = document.getElementById('depth');
      if (depth) { depth.addEventListener('change', function () { state.depth = Number(depth.value); render(); }); }

      var logToggle = document.getElementById('log-toggle');
      logToggle.addEventListener('change', function () {
        var figure = document.getElementById('fig-layers');
        figure.classList.toggle('log', logToggle.checked);
        Array.prototype.slice.call(figure.querySelectorAll('rect.bar')).forEach(function (bar) {
          var other = bar.getAttribute('data-log').split(' ');
          bar.setAttribute('data-log', bar.getAttribute('y') + ' ' + bar.getAttribute('height'));
          bar.setAttribute('y', other[0]);
          bar.setAttribute('height', other[1]);
        });
      });
      render();

      function selfTest() {
        var lines = [], failed = false;
        function check(ok, text) { lines.push((ok ? 'ok   ' : 'FAIL ') + text); if (!ok) { failed = true; } }
        function visible() { return Array.prototype.slice.call(body.querySelectorAll('tr.layer:not([hidden])')); }
        var expected = Number(table.getAttribute('data-layer-count'));
        check(rows.length === expected, 'table rows: ' + rows.length + ', layers: ' + expected);
        Array.prototype.slice.call(document.querySelectorAll('figure.chart-box')).forEach(function (figure) {
          var svg = figure.querySelector('svg');
          var marks = svg ? Array.prototype.slice.call(svg.querySelectorAll('.mark')) : [];
          var drawn = marks.filter(function (m) { var box = m.getBBox(); return box.width > 0 || box.height > 0; });
          check(drawn.length > 0, figure.id + ': ' + marks.length + ' marks, ' + drawn.length + ' drawn');
        });
        var macs = heads.findIndex(function (h) { return h.getAttribute('data-col') === 'macs'; });
        function values() { return visible().map(function (r) { return Number(r.cells[macs].getAttribute('data-v')); }); }
        function isSorted(list, descending) {
          return list.every(function (v, i) { return i === 0 || (descending ? list[i - 1] >= v : list[i - 1] <= v); });
        }
        heads[macs].click();
        var first = values();
        check(isSorted(first, true) && first.length === rows.length, 'sort by MACs, descending: ' + first.slice(0, 3).join(', ') + ' …');
        heads[macs].click();
        var second = values();
        check(isSorted(second, false) && second.length === rows.length, 'sort by MACs, ascending: ' + second.slice(0, 3).join(', ') + ' …');
        heads[0].click();
        var op = rows.length ? rows[0].cells[2].textContent.toLowerCase() : '';
        state.filter = op; render();
        var matching = visible();
        check(matching.length > 0 && matching.every(function (r) { return r.getAttribute('data-search').indexOf(op) >= 0; }),
          'filter "' + op + '": ' + matching.length + ' rows');
        state.filter = ''; render();
        if (depth) {
          depth.value = '1'; depth.dispatchEvent(new Event('change'));
          var groups = Array.prototype.slice.call(body.querySelectorAll('tr.group'));
          var total = function (list) { return list.reduce(function (sum, r) { return sum + Number(r.cells[macs].getAttribute('data-v')); }, 0); };
          check(groups.length > 0 && visible().length === 0 && total(groups) === total(rows),
            'group by module depth 1: ' + groups.length + ' groups, MACs sum ' + total(groups));
          groups[0].click();
          check(visible().length > 0, 'opening a group shows its ' + visible().length + ' layers');
          depth.value = '0'; depth.dispatchEvent(new Event('change'));
        }
        var bar = document.querySelector('#fig-layers rect.bar');
        if (bar) {
          var linear = bar.getAttribute('y') + ' ' + bar.getAttribute('height'), log = bar.getAttribute('data-log');
          logToggle.click();
          var shown = bar.getAttribute('y') + ' ' + bar.getAttribute('height');
          logToggle.click();
          check(shown === log && bar.getAttribute('y') + ' ' + bar.getAttribute('height') === linear,
            'log scale toggles the bars: ' + linear + ' → ' + shown + ' and back');
        }
        check(visible().length === rows.length, 'all rows shown again');
        check(window.reportErrors.length === 0, 'script errors: ' + window.reportErrors.length);
        var out = document.getElementById('selftest');
        out.textContent = lines.join('\\n');
        out.setAttribute('data-verdict', failed ? 'fail' : 'pass');
        out.hidden = false;
      }
      if (/[?&]selftest\\b/.test(location.search)) {
        try { selfTest(); } catch (error) { reportError('self-test: ' + error); }
      }
      document.body.setAttribute('data-load-ms', String(Math.round(performance.now())));
    })();

    """
}
