/* The menu button of the primary navigation. On narrow screens the
   stylesheet hides the list of sections behind the button while
   aria-expanded is "false"; the button shows and hides it, and screen
   readers announce its state. The button starts hidden, so without this
   script there is no button and every link is shown. */
(function () {
  'use strict';
  var button = document.querySelector('.menu-toggle[aria-controls]');
  if (!button || !document.getElementById(button.getAttribute('aria-controls'))) return;
  button.addEventListener('click', function () {
    var open = button.getAttribute('aria-expanded') === 'true';
    button.setAttribute('aria-expanded', open ? 'false' : 'true');
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && button.getAttribute('aria-expanded') === 'true') {
      button.setAttribute('aria-expanded', 'false');
      button.focus();
    }
  });
  button.hidden = false;
})();
