// The image chooser window (admin/news/image/chooser.html): hands the chosen
// library image's id to the body editor that opened it
// (library-image.js), then closes. Same origin only.
(function () {
  "use strict";

  function choose(id) {
    if (!window.opener) {
      return false;
    }
    window.opener.postMessage(
      { type: "news:image-chosen", id: String(id) },
      window.location.origin
    );
    window.close();
    return true;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var uploaded = document.querySelector("[data-chosen-image]");
    if (uploaded) {
      choose(uploaded.getAttribute("data-chosen-image"));
    }
    document.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-image-id]");
      if (button && !choose(button.getAttribute("data-image-id"))) {
        button.insertAdjacentText(
          "afterend",
          " Hãy mở trang này bằng nút “Chèn ảnh” của khung soạn thảo."
        );
      }
    });
  });
})();
