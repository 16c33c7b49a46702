// Runs a WebAuthn ceremony on a page that has #webauthn-form (data-mode "register" or
// "authenticate") and the options in #webauthn-options, then posts the browser's answer in the
// form's hidden `response` field.
(function () {
  'use strict';
  var data = document.getElementById('webauthn-options');
  var form = document.getElementById('webauthn-form');
  if (!data || !form || !window.SimpleWebAuthnBrowser) return;
  var lib = window.SimpleWebAuthnBrowser;
  var options = JSON.parse(data.textContent);
  var mode = form.getAttribute('data-mode');
  var status = document.getElementById('webauthn-status');

  function send(response) {
    form.querySelector('input[name="response"]').value = JSON.stringify(response);
    form.submit();
  }
  function failed() {
    if (status) status.textContent = status.getAttribute('data-not-used') || 'Your passkey or security key was not used. You can try again.';
  }

  var button = document.getElementById('webauthn-start');
  if (!button) return;
  button.hidden = false;
  button.addEventListener('click', function () {
    if (status) status.textContent = '';
    var run = mode === 'register' ? lib.startRegistration({ optionsJSON: options }) : lib.startAuthentication({ optionsJSON: options });
    run.then(send, failed);
  });
})();
