// The internal-link chooser window (admin/news/article/internal_links.html):
// hands the chosen target's address to the body editor that opened it
// (internal-link.js), then closes. Same origin only. Opened on its own, the
// page still shows each address to copy.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-link-path]");
    if (!button) {
      return;
    }
    if (!window.opener) {
      button.insertAdjacentText(
        "afterend",
        " Hãy mở trang này bằng nút “Liên kết nội bộ” của khung soạn thảo, hoặc chép địa chỉ bên cạnh."
      );
      return;
    }
    window.opener.postMessage(
      {
        type: "news:link-chosen",
        path: button.getAttribute("data-link-path"),
        text: button.getAttribute("data-link-text"),
      },
      window.location.origin
    );
    window.close();
  });
})();
