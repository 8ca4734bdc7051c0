// The body editor's paste (django-prose-editor extension "PasteCleaning",
// news/paste.py): HTML from the clipboard (Word, a web page) goes to the
// server, which rebuilds Word's lists, turns Heading 1 into Heading 2, keeps
// tables, bold, italic and links, puts data: URL images into the image
// library and says what it changed; the editor inserts the cleaned fragment
// and shows those notes above itself. Plain text pastes as usual.
import { Extension, Plugin } from "django-prose-editor/editor";

function adminRoot() {
  var path = window.location.pathname;
  var at = path.indexOf("/news/");
  return at >= 0 ? path.slice(0, at) : "/quan-tri";
}

function csrfToken() {
  var input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function showNotes(editor, notes) {
  var box = editor.options.element;
  var list = box.previousElementSibling;
  if (!list || !list.classList.contains("paste-notes")) {
    list = document.createElement("ul");
    list.className = "messagelist paste-notes";
    list.setAttribute("role", "status");
    box.before(list);
  }
  list.replaceChildren();
  notes.forEach(function (note) {
    var item = document.createElement("li");
    item.className = "warning";
    item.textContent = note;
    list.append(item);
  });
}

function escapeText(text) {
  var box = document.createElement("p");
  box.textContent = text || "";
  return box.outerHTML;
}

function pasteCleaned(editor, html, text) {
  var body = new URLSearchParams({ html: html });
  fetch(adminRoot() + "/news/article/dan/", {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRFToken": csrfToken() },
    body: body,
  })
    .then(function (response) {
      return response.ok ? response.json() : Promise.reject(response);
    })
    .then(function (result) {
      editor.chain().focus().insertContent(result.html).run();
      showNotes(editor, result.notes);
    })
    .catch(function (response) {
      // Plain text only: nothing unchecked enters the body.
      editor.chain().focus().insertContent(escapeText(text)).run();
      showNotes(editor, [
        response && response.status === 400
          ? "Nội dung dán vào quá lớn (tối đa 5 MB): chỉ giữ lại chữ. Hãy dán " +
            "từng phần và tải ảnh lên bằng nút “Chèn ảnh”."
          : "Không làm sạch được nội dung dán vào (mất kết nối?): chỉ giữ lại chữ.",
      ]);
    });
}

export var PasteCleaning = Extension.create({
  name: "pasteCleaning",

  addProseMirrorPlugins: function () {
    var editor = this.editor;
    return [
      new Plugin({
        props: {
          handlePaste: function (view, event) {
            var data = event.clipboardData;
            var html = data && data.getData("text/html");
            if (!html) {
              return false;
            }
            event.preventDefault();
            pasteCleaned(editor, html, data.getData("text/plain"));
            return true;
          },
        },
      }),
    ];
  },
});
