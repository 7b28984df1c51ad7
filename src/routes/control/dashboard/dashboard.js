// The dashboard's buttons (docs/protocol.md#dashboard): each calls a control-plane JSON endpoint
// with fetch, then reloads the page to show the result; an error is shown above the sections.
//
// Why fetch and not HTML forms (docs/reliability.md#cross-site-requests): a page of any other
// site can post a form to a loopback control plane, so the control plane must never act on a
// form. Changes go as DELETE or as JSON, which a browser sends to another origin only after a
// CORS preflight the server never grants, and the server refuses what a browser marks as sent
// for another origin. The page's policy also forbids form submission (form-action 'none').
'use strict';

const status = document.getElementById('status');

function show(message) {
  status.textContent = message;
  status.hidden = false;
}

async function call(method, path, body) {
  const init = { method, credentials: 'same-origin', headers: {} };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  try {
    const response = await fetch(path, init);
    if (response.ok) {
      location.reload();
      return;
    }
    const answer = await response.json().catch(() => ({}));
    show(`${method} ${path}: ${response.status} ${answer.error || response.statusText}`);
  } catch (error) {
    show(`${method} ${path}: ${error}`);
  }
}

for (const button of document.querySelectorAll('button[data-revoke]')) {
  button.addEventListener('click', () => {
    button.disabled = true;
    call('DELETE', `/_emulator/refresh-tokens/${encodeURIComponent(button.dataset.revoke)}`)
      .finally(() => { button.disabled = false; });
  });
}

const advance = document.getElementById('advance-form');
advance.addEventListener('submit', (event) => {
  event.preventDefault();
  call('POST', '/_emulator/clock', { advance: advance.elements.advance.value.trim() });
});
