// Accessible names for admin widgets that third-party scripts build without
// one: the rich-text editor (django-prose-editor) and the autocomplete boxes
// (Django's select2). Each gets the label of the form field it stands for, so
// screen readers announce "Chuyên mục" rather than an unnamed combobox
// (axe rules aria-input-field-name and label). The widgets are built after
// page load and when an inline row is added, hence the MutationObserver.
(function () {
  "use strict";

  // The id of the <label> of a form field, given one if it has none; null
  // when the field has no <label> (tabular inline cells use aria-label).
  function labelIdFor(field) {
    var label = field.id && document.querySelector('label[for="' + field.id + '"]');
    if (!label) {
      return null;
    }
    if (!label.id) {
      label.id = field.id + "-label";
    }
    return label.id;
  }

  // Name `element` after `field`; `alsoId` (optional) names an element whose
  // text follows the label, such as the value an autocomplete shows.
  function name(element, field, alsoId) {
    var labelId = labelIdFor(field);
    if (labelId) {
      element.setAttribute("aria-labelledby", alsoId ? labelId + " " + alsoId : labelId);
    } else if (field.getAttribute("aria-label")) {
      element.removeAttribute("aria-labelledby");
      element.setAttribute("aria-label", field.getAttribute("aria-label"));
    }
  }

  function nameAutocomplete(select) {
    var container = select.nextElementSibling;
    if (!container || !container.classList.contains("select2")) {
      return;
    }
    var selection = container.querySelector(".select2-selection");
    var rendered = container.querySelector(".select2-selection__rendered");
    var search = container.querySelector(".select2-search__field");
    // The combobox reads "label, chosen value" (select2 names it by the value
    // alone, which is empty until something is chosen).
    if (selection && !selection.hasAttribute("data-named")) {
      name(selection, select, rendered && rendered.id);
      selection.setAttribute("data-named", "");
    }
    if (rendered && rendered.getAttribute("role") === "textbox") {
      name(rendered, select);
    }
    if (search) {
      name(search, select);
    }
  }

  function nameEditor(wrapper) {
    var textarea = wrapper.querySelector("textarea");
    var editable = wrapper.querySelector("[contenteditable]");
    if (textarea && editable && !editable.hasAttribute("aria-labelledby")) {
      name(editable, textarea);
      editable.setAttribute("aria-multiline", "true");
    }
  }

  function nameAll() {
    document.querySelectorAll("select.admin-autocomplete").forEach(nameAutocomplete);
    // select2 puts its mouse-only "clear all" cross straight inside the list
    // of chosen items (a <span> in a <ul>); keyboard users remove each choice
    // with Backspace, so the cross is hidden from assistive technology.
    document.querySelectorAll("ul.select2-selection__rendered > .select2-selection__clear").forEach(
      function (cross) {
        cross.setAttribute("aria-hidden", "true");
      }
    );
    document.querySelectorAll(".prose-editor").forEach(nameEditor);
    // Django's tabular inlines leave the header of the column holding a saved
    // row's name (and its hidden ids) empty (axe rule empty-table-header).
    document.querySelectorAll("thead th.original:empty").forEach(function (header) {
      var text = document.createElement("span");
      text.className = "visually-hidden";
      text.textContent = "Mục đã lưu";
      header.appendChild(text);
    });
  }

  function start() {
    nameAll();
    var pending = false;
    new MutationObserver(function () {
      if (pending) {
        return;
      }
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        nameAll();
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
