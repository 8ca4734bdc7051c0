// Vietnamese for the admin words that no translation catalog reaches: the
// rich-text editor's (django-prose-editor) toolbar tooltips and block menu,
// which its script writes in English without gettext, and the alt text of
// Django's yes/no icons in lists ("True"/"False"). Its dialogs use gettext
// and are translated in locale/vi/LC_MESSAGES/djangojs.po. Menus and dialogs
// are built after page load and on demand, hence the MutationObserver.
(function () {
  "use strict";

  var WORDS = {
    paragraph: "Đoạn văn",
    Paragraph: "Đoạn văn",
    bold: "Chữ đậm",
    italic: "Chữ nghiêng",
    underline: "Gạch chân",
    strike: "Gạch ngang",
    subscript: "Chỉ số dưới",
    superscript: "Chỉ số trên",
    "unordered list": "Danh sách dấu đầu dòng",
    "ordered list": "Danh sách đánh số",
    blockquote: "Trích dẫn",
    "horizontal rule": "Đường kẻ ngang",
    "insert link": "Chèn liên kết",
    "remove link": "Bỏ liên kết",
    "edit HTML": "Sửa mã HTML",
    "Insert table": "Chèn bảng",
    "Add column": "Thêm cột",
    "Add row": "Thêm hàng",
    "Delete column": "Xoá cột",
    "Delete row": "Xoá hàng",
    "Delete table": "Xoá bảng",
    "Merge cells": "Gộp ô",
    "Split cell": "Tách ô",
    "Code block": "Khối mã",
    Code: "Mã",
    undo: "Hoàn tác",
    redo: "Làm lại",
    figure: "Ảnh",
    HTML: "Mã HTML",
    Styles: "Kiểu chữ",
    "Reset all classes": "Bỏ mọi kiểu",
    title: "Tiêu đề",
  };
  var HEADING = /^[Hh]eading (\d)$/;
  // Django's list icons and search box: alt text written in its templates.
  var ICON_ALT = {
    "icon-yes": { True: "Có" },
    "icon-no": { False: "Không" },
    "icon-unknown": { None: "Không rõ" },
    search: { Search: "Tìm kiếm" },
  };

  function vietnamese(text) {
    var heading = HEADING.exec(text);
    if (heading) {
      return "Tiêu đề cấp " + heading[1];
    }
    return Object.prototype.hasOwnProperty.call(WORDS, text) ? WORDS[text] : null;
  }

  function translateEditor(root) {
    root.querySelectorAll("[title]").forEach(function (element) {
      var word = vietnamese(element.getAttribute("title"));
      if (word) {
        element.setAttribute("title", word);
        if (element.getAttribute("aria-label") && vietnamese(element.getAttribute("aria-label"))) {
          element.setAttribute("aria-label", word);
        }
      }
    });
    root.querySelectorAll("*").forEach(function (element) {
      if (element.children.length === 0 && element.textContent) {
        var word = vietnamese(element.textContent.trim());
        // Icon buttons hold a ligature name ("format_bold"), never a word here.
        if (word && !element.classList.contains("material-icons")) {
          element.textContent = word;
        }
      }
    });
  }

  function translate(root) {
    if (!root.querySelectorAll) {
      return;
    }
    var editors = root.matches && root.matches(".prose-editor, .prose-menubar, .prose-menubar__picker, dialog")
      ? [root]
      : [];
    root.querySelectorAll(".prose-editor, .prose-menubar, .prose-menubar__picker, dialog").forEach(function (element) {
      editors.push(element);
    });
    editors.forEach(translateEditor);
    root.querySelectorAll("img[alt]").forEach(function (image) {
      var icon = /\/(icon-yes|icon-no|icon-unknown|search)\.svg$/.exec(image.getAttribute("src") || "");
      var alt = icon && ICON_ALT[icon[1]][image.getAttribute("alt")];
      if (alt) {
        image.setAttribute("alt", alt);
      }
    });
  }

  function start() {
    translate(document.body);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        mutation.addedNodes.forEach(translate);
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
