/*
 * Demo portal: the live status of a wallet request (Server-Sent Events, polling when they are not
 * available), the in-page test wallet (development), and the same-device return. Every page works
 * without this script except the same-device return, whose code is in the URL fragment.
 * Loaded from this origin: the Content-Security-Policy allows no inline script.
 */
/* global document, window, location, history, EventSource, fetch, FormData, URLSearchParams, setTimeout */
(function () {
  'use strict';

  var FINAL = { verified: true, failed: true, expired: true };

  function walletStatus(box) {
    var completeForm = document.getElementById('complete-form');
    var retry = document.getElementById('wallet-retry');
    var flow = box.getAttribute('data-flow');
    var done = false;
    var polling = false;
    var source;
    var errors = 0;

    function text(key) {
      return box.getAttribute('data-text-' + key) || '';
    }

    function show(s) {
      if (done || !s || typeof s.status !== 'string') return;
      var key = s.status === 'failed' ? (s.error && s.error.code === 'WALLET_ERROR' ? 'refused' : 'error') : s.status.replace('_', '-');
      var message = text(key);
      if (message && box.textContent !== message) box.textContent = message;
      // The code is for support, in a closed details element: never in the sentence itself.
      var detail = document.getElementById('wallet-error-detail');
      var codeBox = document.getElementById('wallet-error-code');
      if (key === 'error' && detail && codeBox && s.error && typeof s.error.code === 'string') {
        codeBox.textContent = s.error.code;
        detail.hidden = false;
      }
      if (!FINAL[s.status]) return;
      done = true;
      if (source) source.close();
      if (s.status === 'verified') {
        if (flow === 'cross_device' && completeForm) setTimeout(function () { completeForm.requestSubmit(); }, 400);
        return;
      }
      box.classList.add('status-problem');
      var hide = document.querySelectorAll('[data-hide-on-final], #complete-form, .test-wallet');
      for (var i = 0; i < hide.length; i++) hide[i].hidden = true;
      if (retry) {
        retry.hidden = false;
        var heading = document.getElementById('retry-h');
        if (heading) heading.focus();
      }
    }

    function poll() {
      if (done) return;
      fetch(box.getAttribute('data-poll'), { headers: { accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (s) {
          show(s);
          if (!done) setTimeout(poll, 2000);
        })
        .catch(function () { if (!done) setTimeout(poll, 4000); });
    }

    function startPolling() {
      if (polling || done) return;
      polling = true;
      box.setAttribute('data-mode', 'polling');
      poll();
    }

    if (box.getAttribute('data-final')) return;
    if (!('EventSource' in window)) return startPolling();
    source = new EventSource(box.getAttribute('data-events'));
    box.setAttribute('data-mode', 'events');
    source.addEventListener('status', function (e) {
      errors = 0;
      try { show(JSON.parse(e.data)); } catch { /* ignore a bad frame */ }
    });
    source.addEventListener('stream_error', function () {
      source.close();
      startPolling();
    });
    source.onerror = function () {
      if (done) return;
      errors += 1;
      if (source.readyState === EventSource.CLOSED || errors >= 3) {
        source.close();
        startPolling();
      }
    };
  }

  function testWallet(form) {
    var status = document.getElementById('test-wallet-status');
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var data = new FormData(form, e.submitter);
      var buttons = form.querySelectorAll('button');
      for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
      if (status) status.textContent = form.getAttribute('data-running') || '';
      fetch(form.action, { method: 'POST', body: new URLSearchParams(data), headers: { accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (r) { return r.json(); })
        .then(function (j) {
          if (j && j.redirect) return location.assign(j.redirect);
          if (status) status.textContent = j && j.ok ? '' : (j && (j.message || j.detail || j.title)) || '';
          for (var k = 0; k < buttons.length; k++) buttons[k].disabled = false;
        })
        .catch(function () {
          for (var k = 0; k < buttons.length; k++) buttons[k].disabled = false;
        });
    });
  }

  function callback(box) {
    var params = new URLSearchParams(location.hash.slice(1));
    var code = params.get('response_code');
    // The code is single use and should not stay in the address bar or the history.
    history.replaceState(null, '', location.pathname);
    var form = document.getElementById('callback-form');
    var input = document.getElementById('response-code');
    if (code && form && input) {
      input.value = code;
      form.requestSubmit();
    } else {
      box.textContent = box.getAttribute('data-no-code') || '';
    }
  }

  function init() {
    var box = document.getElementById('wallet-status');
    if (box) walletStatus(box);
    var tw = document.getElementById('test-wallet-form');
    if (tw) testWallet(tw);
    var cb = document.getElementById('callback-status');
    if (cb) callback(cb);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
