// Progressive enhancements for every page. The site works without this file.
(function () {
  "use strict";

  // Reader's text size (A− / A / A+), remembered across pages in localStorage.
  // text-size-init.js applies the saved step before first paint.
  var STORAGE_KEY = "cchc-text-size";
  var MIN_STEP = -1;
  var MAX_STEP = 3;

  function currentStep() {
    var value = parseInt(document.documentElement.getAttribute("data-text-size"), 10);
    return isNaN(value) ? 0 : value;
  }

  function applyStep(step) {
    step = Math.max(MIN_STEP, Math.min(MAX_STEP, step));
    if (step === 0) {
      document.documentElement.removeAttribute("data-text-size");
    } else {
      document.documentElement.setAttribute("data-text-size", String(step));
    }
    try {
      if (step === 0) {
        localStorage.removeItem(STORAGE_KEY);
      } else {
        localStorage.setItem(STORAGE_KEY, String(step));
      }
    } catch (error) {
      // Private mode or storage disabled: the size still applies to this page.
    }
    var control = document.querySelector("[data-text-size-control]");
    if (control) {
      control.querySelector('[data-text-size="down"]').disabled = step <= MIN_STEP;
      control.querySelector('[data-text-size="up"]').disabled = step >= MAX_STEP;
    }
  }

  function initTextSize() {
    var control = document.querySelector("[data-text-size-control]");
    if (!control) {
      return;
    }
    control.hidden = false;
    control.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-text-size]");
      if (!button) {
        return;
      }
      var action = button.getAttribute("data-text-size");
      if (action === "up") {
        applyStep(currentStep() + 1);
      } else if (action === "down") {
        applyStep(currentStep() - 1);
      } else {
        applyStep(0);
      }
    });
    applyStep(currentStep());
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initTextSize);
  } else {
    initTextSize();
  }
})();
