// Runs a WebAuthn ceremony on a page that has #webauthn-form (data-mode "register",
// "authenticate" or "passwordless") and the options in #webauthn-options, then posts the
// browser's answer in the form's hidden `response` field. On the sign-in page ("passwordless")
// it also starts a conditional request on load, so the email field's autofill (autocomplete
// "username webauthn") offers the device's passkeys (not again on the page that refused one:
// data-autofill "off"); the button starts a modal one instead.
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
  function failed(error) {
    // A conditional request ended by the button's modal one is not a failure to report.
    if (error && error.name === 'AbortError') return;
    if (status) status.textContent = status.getAttribute('data-not-used') || 'Your passkey or security key was not used. You can try again.';
  }

  if (mode === 'passwordless' && form.getAttribute('data-autofill') === 'on' && lib.browserSupportsWebAuthnAutofill) {
    lib.browserSupportsWebAuthnAutofill().then(function (supported) {
      if (supported) lib.startAuthentication({ optionsJSON: options, useBrowserAutofill: true }).then(send, failed);
    });
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
