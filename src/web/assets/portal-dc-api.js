/*
 * Demo portal: "Log in with the wallet in this browser" — shown only when the browser offers the
 * W3C Digital Credentials API, through the service's own browser module (/v1/dc-api.js). The
 * portal starts a dc_api presentation (POST /login/dc-api/start), the browser hands it to the
 * wallet, the module posts the answer to the service, and the portal completes the login with the
 * response_code (POST /login/dc-api/finish). Without the API nothing is shown: the ordinary login
 * (QR code or same-device) is the fallback. No inline script: loaded from this origin.
 */
/* global document, location, fetch, URLSearchParams */
import { isDcApiAvailable, presentWithWallet } from '/v1/dc-api.js';

var box = document.getElementById('dc-api-login');
if (box && isDcApiAvailable()) {
  var form = box.querySelector('form');
  var message = document.getElementById('dc-api-message');
  box.hidden = false;
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var csrf = form.querySelector('input[name="_csrf"]').value;
    var button = form.querySelector('button');
    button.disabled = true;
    signIn(csrf).catch(function () {
      message.textContent = message.getAttribute('data-failed');
      message.hidden = false;
      button.disabled = false;
    });
  });
}

async function signIn(csrf) {
  var started = await post('/login/dc-api/start', { _csrf: csrf });
  var answer = await presentWithWallet(started.dc_api);
  var finished = await post('/login/dc-api/finish', { _csrf: csrf, transaction_id: started.transaction_id, response_code: answer.response_code });
  location.assign(finished.redirect);
}

async function post(path, fields) {
  var res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(fields).toString(),
    credentials: 'same-origin',
  });
  if (!res.ok) throw new Error('status ' + res.status);
  return res.json();
}
