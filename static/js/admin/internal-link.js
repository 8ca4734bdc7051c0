// The body editor's internal links (django-prose-editor extension
// "InternalLink"): the toolbar button opens the internal-link chooser
// (admin/news/article/internal_links.html), which posts the chosen target's
// id-based address (/lien-ket/<kind>/<id>/, news/internal_links.py) back
// here. The selected words become the link; with nothing selected the
// target's name is inserted as the link. The address redirects to the
// target's current page, so the link follows its slug.
import { Extension } from "django-prose-editor/editor";

function adminRoot() {
  var path = window.location.pathname;
  var at = path.indexOf("/news/");
  return at >= 0 ? path.slice(0, at) : "/quan-tri";
}

var waiting = null; // the editor whose chooser window is open

window.addEventListener("message", function (event) {
  var data = event.data || {};
  if (event.origin !== window.location.origin || data.type !== "news:link-chosen") {
    return;
  }
  // Only the portal's own id-based addresses.
  if (!waiting || !/^\/lien-ket\/[a-z-]+\/[0-9]+\/$/.test(data.path || "")) {
    return;
  }
  var chain = waiting.chain().focus();
  if (waiting.state.selection.empty) {
    chain.insertContent({
      type: "text",
      text: data.text || data.path,
      marks: [{ type: "link", attrs: { href: data.path } }],
    });
  } else {
    chain.extendMarkRange("link").setLink({ href: data.path });
  }
  chain.run();
});

function openChooser(editor) {
  waiting = editor;
  var chooser = window.open(
    adminRoot() + "/news/article/lien-ket-noi-bo/?_popup=1",
    "chon-lien-ket",
    "width=960,height=760"
  );
  if (chooser) {
    chooser.focus();
  }
}

export var InternalLink = Extension.create({
  name: "internalLink",

  addMenuItems: function (props) {
    props.menu.defineItem({
      name: "internalLink",
      groups: "nodes",
      command: function (editor) {
        openChooser(editor);
      },
      button: props.buttons.material(
        "add_link",
        "Liên kết nội bộ (bài viết, chuyên mục, đơn vị, bảng xếp hạng)"
      ),
      enabled: function () {
        return true;
      },
    });
  },
});
