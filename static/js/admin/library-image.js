// The body editor's library images (django-prose-editor extension
// "LibraryImage", news/html.py): the body names an image only by its id,
// <figure data-image="42"></figure>; the public page expands it into the
// cleaned renditions. The toolbar button opens the image chooser
// (admin/news/image/chooser.html), which posts the chosen id back here.
import { Node } from "django-prose-editor/editor";

// "/quan-tri/news/article/5/change/" -> "/quan-tri"
function adminRoot() {
  var path = window.location.pathname;
  var at = path.indexOf("/news/");
  return at >= 0 ? path.slice(0, at) : "/quan-tri";
}

var waiting = null; // the editor whose chooser window is open

window.addEventListener("message", function (event) {
  var data = event.data || {};
  if (event.origin !== window.location.origin || data.type !== "news:image-chosen") {
    return;
  }
  if (waiting && /^[0-9]+$/.test(data.id)) {
    waiting.chain().focus().insertLibraryImage(data.id).run();
  }
});

function openChooser(editor) {
  waiting = editor;
  var chooser = window.open(
    adminRoot() + "/news/image/chon/?_popup=1",
    "chon-anh",
    "width=960,height=760"
  );
  if (chooser) {
    chooser.focus();
  }
}

function imageView(node) {
  var figure = document.createElement("figure");
  figure.className = "library-image";
  figure.setAttribute("data-image", node.attrs.id);
  var image = document.createElement("img");
  image.alt = "";
  var caption = document.createElement("figcaption");
  caption.textContent = "Đang tải ảnh…";
  figure.append(image, caption);
  fetch(adminRoot() + "/news/image/" + encodeURIComponent(node.attrs.id) + "/thong-tin/", {
    credentials: "same-origin",
  })
    .then(function (response) {
      return response.ok ? response.json() : Promise.reject(response);
    })
    .then(function (info) {
      image.src = info.src;
      image.alt = info.alt;
      caption.textContent = info.caption;
    })
    .catch(function () {
      caption.textContent =
        "Ảnh số " + node.attrs.id + " không còn trong Thư viện ảnh: bài sẽ không hiện ảnh này.";
    });
  return { dom: figure };
}

export var LibraryImage = Node.create({
  name: "libraryImage",
  group: "block",
  atom: true,
  selectable: true,
  draggable: true,

  addAttributes: function () {
    return {
      id: {
        default: null,
        parseHTML: function (element) {
          return element.getAttribute("data-image");
        },
        renderHTML: function (attributes) {
          return { "data-image": attributes.id };
        },
      },
    };
  },

  parseHTML: function () {
    return [{ tag: "figure[data-image]" }];
  },

  renderHTML: function (props) {
    return ["figure", props.HTMLAttributes];
  },

  addNodeView: function () {
    return function (props) {
      return imageView(props.node);
    };
  },

  addCommands: function () {
    var name = this.name;
    return {
      insertLibraryImage: function (id) {
        return function (props) {
          return props.commands.insertContent({ type: name, attrs: { id: String(id) } });
        };
      },
    };
  },

  addMenuItems: function (props) {
    props.menu.defineItem({
      name: "libraryImage",
      groups: "nodes",
      command: function (editor) {
        openChooser(editor);
      },
      button: props.buttons.material("image", "Chèn ảnh (từ Thư viện ảnh hoặc tải lên)"),
      enabled: function () {
        return true;
      },
    });
  },
});
