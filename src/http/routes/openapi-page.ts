/**
 * The API reference page. Plain files, no framework: the page loads its script
 * and style from our origin (the CSP allows nothing inline), fetches the OpenAPI
 * document and renders it with textContent only, so nothing in a description can
 * become markup. Relative URLs keep it working under a PUBLIC_URL path prefix.
 */
export const API_DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hitch API</title>
<link rel="stylesheet" href="./docs/docs.css">
<script src="./docs/docs.js" defer></script>
</head>
<body>
<header><h1>Hitch API</h1><p id="intro">Loading the OpenAPI document…</p><p><a href="./v1/openapi.json">openapi.json</a></p></header>
<main id="operations"></main>
</body>
</html>
`;

export const API_DOCS_CSS = `body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem 1.5rem; color: #1d2327; }
h1 { margin-bottom: 0.25rem; }
h2 { margin-top: 2rem; border-bottom: 1px solid #ddd; text-transform: capitalize; }
details { border: 1px solid #ddd; border-radius: 6px; margin: 0.5rem 0; }
summary { cursor: pointer; padding: 0.5rem 0.75rem; font-family: ui-monospace, monospace; }
.method { display: inline-block; min-width: 4.5rem; font-weight: bold; }
.get { color: #0b6bcb; } .post { color: #1a7f37; } .put, .patch { color: #9a6700; } .delete { color: #cf222e; }
.body { padding: 0 0.75rem 0.75rem; }
pre { background: #f6f8fa; padding: 0.5rem; overflow: auto; font-size: 13px; }
h4 { margin: 0.75rem 0 0.25rem; }
`;

export const API_DOCS_JS = `'use strict';
(function () {
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function block(parent, title, value) {
    if (value === undefined) return;
    parent.appendChild(el('h4', '', title));
    parent.appendChild(el('pre', '', JSON.stringify(value, null, 2)));
  }
  function render(doc) {
    document.title = doc.info.title + ' ' + doc.info.version;
    document.getElementById('intro').textContent = doc.info.description || '';
    var groups = {};
    Object.keys(doc.paths || {}).sort().forEach(function (path) {
      var group = path.split('/')[3] || 'other';
      Object.keys(doc.paths[path]).forEach(function (method) {
        (groups[group] = groups[group] || []).push({ path: path, method: method, op: doc.paths[path][method] });
      });
    });
    var main = document.getElementById('operations');
    Object.keys(groups).sort().forEach(function (group) {
      main.appendChild(el('h2', '', group));
      groups[group].forEach(function (entry) {
        var details = el('details');
        var summary = el('summary');
        summary.appendChild(el('span', 'method ' + entry.method, entry.method.toUpperCase()));
        summary.appendChild(document.createTextNode(' ' + entry.path));
        details.appendChild(summary);
        var body = el('div', 'body');
        if (entry.op.summary || entry.op.description) body.appendChild(el('p', '', entry.op.summary || entry.op.description));
        block(body, 'Parameters', entry.op.parameters);
        block(body, 'Request body', entry.op.requestBody);
        block(body, 'Responses', entry.op.responses);
        details.appendChild(body);
        main.appendChild(details);
      });
    });
  }
  fetch('./v1/openapi.json', { credentials: 'same-origin' })
    .then(function (response) {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response.json();
    })
    .then(render)
    .catch(function (error) {
      document.getElementById('intro').textContent = 'The OpenAPI document could not be loaded: ' + error.message;
    });
})();
`;
